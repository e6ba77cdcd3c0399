"""AppTest of the matrix page: it runs, the slider moves the date, a chosen cell shows evidence."""

from __future__ import annotations

import datetime as dt
import json

from streamlit.testing.v1 import AppTest

from core.settings import PACKAGE_DIR

APP = str(PACKAGE_DIR / "app.py")


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def test_matrix_page_runs_and_defaults_to_the_latest_date():
    at = run_app()
    slider = at.slider[0]
    assert slider.label == "As of"
    assert slider.value == dt.date(2025, 2, 24)
    assert chart_titles(at) == ["Positions on Russia's war in Ukraine as of 24 Feb 2025"]


def test_moving_as_of_redraws_for_that_date():
    at = run_app()
    at.slider[0].set_value(dt.date(2022, 3, 5)).run()
    assert not at.exception
    assert chart_titles(at) == ["Positions on Russia's war in Ukraine as of 5 Mar 2022"]


def test_without_a_selection_the_panel_invites_a_click():
    at = run_app()
    assert any("Click a cell" in i.value for i in at.info)


def test_selected_cell_shows_its_evidence_for_the_date():
    at = run_app()
    at.session_state["cell"] = ("KGZ", "anti_war_protests")
    at.slider[0].set_value(dt.date(2022, 3, 5)).run()
    text = " ".join(m.value for m in at.markdown)
    assert "Allowed" in text and "Banned" in text  # the whole history is listed
    assert "after the as-of date" in text  # and the ban is marked as later than 5 March
    assert any("Evidence: Kyrgyzstan · Anti-war protests" in s.value for s in at.subheader)
    captions = " ".join(c.value for c in at.caption)
    assert "S1 §Kyrgyzstan ¶1" in captions and "Paul Stronski" in captions


def test_not_applicable_cell_says_so():
    at = run_app()
    at.session_state["cell"] = ("RUS", "troop_request")
    at.run()
    assert any("Not applicable" in m.value for m in at.markdown)
