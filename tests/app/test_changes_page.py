"""What changed: the chart of moves, the UN-votes filter, and rows that open their evidence."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis.measures import changes
from core.analysis.query import un_vote_issues
from core.ingest.package import load_bundled
from tests.app.helpers import figure, run_page, texts

DS = load_bundled()
VOTES = set(un_vote_issues(DS))
CHART = "Where each changed cell started and ended"


def since_invasion() -> pd.DataFrame:
    return changes(DS, pd.Timestamp("2022-02-24"), DS.positions["date"].max())


def table(at) -> pd.DataFrame:
    return at.dataframe[0].value


def select_row(at, row: int):
    """Select a row of the table, as a click in the browser would (AppTest cannot click)."""
    key = at.dataframe[0].key
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def test_un_votes_are_left_out_by_default_and_the_toggle_brings_them_back():
    everything = since_invasion()
    votes = int(everything["issue"].isin(VOTES).sum())
    at = run_page("changes.py")
    assert at.toggle(key="un_votes").label == "Include UN votes"
    assert at.toggle(key="un_votes").value is False
    assert len(table(at)) == len(everything) - votes > 0
    assert not set(table(at)["Issue"]) & set(DS.issues.set_index("id").loc[list(VOTES), "label"])
    assert f"{votes} changed UN-vote cells are left out" in texts(at)
    at.toggle(key="un_votes").set_value(True).run()
    assert len(table(at)) == len(everything)
    assert "left out" not in texts(at)


def test_a_link_with_un_votes_opens_with_them():
    at = run_page("changes.py", un_votes="true")
    assert at.toggle(key="un_votes").value is True
    assert len(table(at)) == len(since_invasion())


def test_the_chart_draws_every_listed_cell_with_a_score():
    at = run_page("changes.py", countries=["KGZ", "UZB"])
    fig = figure(at, CHART)
    end = next(t for t in fig["data"] if t["name"] == "Where it stands at the end")
    cells = {f"{c}:{i}" for c, i in end["customdata"]}
    listed = since_invasion()
    listed = listed[listed["country"].isin(["KGZ", "UZB"]) & ~listed["issue"].isin(VOTES)]
    assert len(cells) == int(listed["score"].notna().sum()) == len(table(at))
    assert cells == {c.removeprefix("?cell=") for c in table(at)["Cell link"]}
    assert fig["layout"]["yaxis"]["ticktext"] == ["Uzbekistan", "Kyrgyzstan"]  # from the bottom
    assert "to see its evidence" in texts(at) and "chart" in at.caption[0].value


def test_selecting_a_row_opens_its_evidence():
    at = run_page("changes.py", countries=["KGZ"])
    rows = table(at)
    row = list(rows["Issue"]).index("Anti-war protests")  # rows are selected by position
    select_row(at, row)
    assert at.session_state["cell"] == "KGZ:anti_war_protests"
    assert at.selectbox(key="cell").value == "KGZ:anti_war_protests"
    assert "Evidence: Kyrgyzstan · Anti-war protests" in texts(at)


def test_a_row_still_selected_does_not_take_back_a_cell_chosen_since():
    at = run_page("changes.py", countries=["KGZ"])
    select_row(at, 0)
    first = at.session_state["cell"]
    other = "KAZ:troop_request"
    at.selectbox(key="cell").set_value(other).run()
    assert at.selectbox(key="cell").value == other != first


@pytest.mark.parametrize("countries", [["KGZ"], ["TKM", "RUS"]])
def test_no_change_hides_the_chart_and_says_so(countries):
    at = run_page("changes.py", countries=countries, **{"from": "2025-12-31"})
    assert "**0 cells changed**" in at.markdown[0].value or "0 cells changed" in texts(at)
    assert not [f for f in at.get("plotly_chart")]
