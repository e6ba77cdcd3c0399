"""AppTest of the matrix page: each control changes what it says it changes."""

from __future__ import annotations

import datetime as dt

from core.analysis.query import format_date
from core.ingest.package import load_bundled
from tests.app.helpers import as_of_shown, figure, move_as_of, run_page, texts, travel_specs

TITLE = "Positions on Russia's war in Ukraine as of"


def rows(at):
    return figure(at, TITLE)["layout"]["yaxis"]["ticktext"]


def columns(at):
    return figure(at, TITLE)["layout"]["xaxis"]["ticktext"]


def test_defaults_show_everything_as_of_the_latest_date():
    ds = load_bundled()
    latest = ds.positions["date"].max()
    at = run_page()
    assert as_of_shown(at) == latest.date()
    assert figure(at, TITLE)["layout"]["title"]["text"].endswith(format_date(latest, "day"))
    assert len(rows(at)) == len(ds.countries) and len(columns(at)) == len(ds.issues)


def test_moving_as_of_redraws_for_that_date():
    at = run_page()
    move_as_of(at, dt.date(2022, 3, 4))  # a change date
    assert not at.exception
    assert figure(at, TITLE)["layout"]["title"]["text"].endswith("4 Mar 2022")


def test_countries_parameter_and_group_button_choose_rows():
    at = run_page(countries=["UZB", "KAZ"])
    assert rows(at) == ["Kazakhstan", "Uzbekistan"]
    at.button(key="countries-group-EAEU members").click().run()
    assert rows(at) == ["Kazakhstan", "Kyrgyzstan", "Russia", "Belarus", "Armenia"]
    at.multiselect(key="countries").set_value(["GEO"]).run()
    assert rows(at) == ["Georgia"]


def test_issues_and_categories_choose_columns():
    at = run_page(issues=["troop_request", "unga_es11_1"])
    assert columns(at) == ["UNGA ES-11/1", "Troops for Russia"]
    at = run_page()
    at.pills(key="categories").set_value(["Economy"]).run()
    issues = load_bundled().issues
    assert columns(at) == list(issues.loc[issues["category"] == "Economy", "label"])


def test_sort_by_name_and_by_alignment():
    at = run_page()
    at.radio(key="sort").set_value("Name").run()
    assert rows(at) == sorted(rows(at))
    at.radio(key="sort").set_value("Alignment index").run()
    assert rows(at)[0] == "Moldova" and rows(at)[-1] in {"Russia", "Belarus"}


def test_weights_preset_changes_the_alignment_chart():
    at = run_page()
    at.selectbox(key="weights").set_value("UN votes only").run()
    bars = figure(at, "Alignment index as of")
    assert "(UN votes only)" in bars["layout"]["title"]["text"]
    assert all(t.endswith("of 8 issues") for t in bars["data"][0]["text"])


def test_cell_parameter_opens_its_evidence_for_the_date():
    at = run_page(cell="KGZ:anti_war_protests", as_of="2022-03-05")
    page = texts(at)
    assert "Evidence: Kyrgyzstan · Anti-war protests" in page
    assert "Allowed" in page and "Banned" in page
    assert "after the as-of date" in page  # the ban comes after 5 March
    assert "S1 §Kyrgyzstan ¶1" in page and "Paul Stronski" in page


def outlined(at) -> list[tuple[float, float]]:
    """The centres of the cells outlined on the matrix."""
    shapes = figure(at, TITLE)["layout"].get("shapes", [])
    return [(s["x0"] + 0.5, s["y0"] + 0.5) for s in shapes if s["type"] == "rect"]


def test_no_cell_chosen_opens_nothing_and_marks_nothing():
    at = run_page()
    assert at.selectbox(key="cell").value is None
    assert at.button(key="evidence_open").disabled
    assert "Evidence:" not in texts(at) and outlined(at) == []


def test_choosing_a_cell_in_the_picker_opens_it_and_marks_it():
    at = run_page()
    at.selectbox(key="cell").set_value("RUS:troop_request").run()
    assert "Evidence: Russia · Troops for Russia" in texts(at)
    assert "Not applicable" in texts(at)
    assert at.query_params["cell"] == "RUS:troop_request"
    issues = list(load_bundled().issues["id"])
    assert outlined(at) == [(issues.index("troop_request"), rows(at).index("Russia"))]


def test_the_evidence_opens_once_per_choice_and_again_on_the_button():
    at = run_page(cell="KAZ:troop_request")
    assert "Evidence: Kazakhstan · Troops for Russia" in texts(at)
    move_as_of(at, dt.date(2022, 4, 1))
    assert "Evidence:" not in texts(at)  # moving the date does not reopen the dialog
    assert outlined(at)  # but the cell stays marked
    at.button(key="evidence_open").click().run()
    assert "Evidence: Kazakhstan · Troops for Russia" in texts(at)


def test_invalid_link_values_are_ignored_with_a_notice():
    at = run_page(countries=["KAZ", "XXX"], cell="nonsense", as_of="2022-99-99")
    assert "not recognised" in texts(at)
    assert rows(at) == ["Kazakhstan"]


def test_no_countries_selected_says_what_to_do():
    at = run_page()
    at.multiselect(key="countries").set_value([]).run()
    assert "Choose at least one country" in texts(at)


def test_min_issues_decides_who_is_ranked():
    strict = figure(run_page(min_issues="25"), "Alignment index")
    assert "Too little evidence" in strict["layout"]["annotations"][0]["text"]
    loose = figure(run_page(min_issues="1"), "Alignment index")
    assert len(loose["data"][0]["y"]) == 11 and not loose["layout"].get("annotations")
    at = run_page(min_issues="abc")
    assert any("min_issues 'abc'" in w.value for w in at.warning)


def test_the_browser_gets_the_matrix_at_every_stop_once_per_filter_change():
    at = run_page(countries=["KGZ", "UZB"], as_of="2022-03-05")
    (spec,) = travel_specs(at)
    frames = spec["frames"]
    assert spec["date"] == "2022-03-05" and "2022-03-05" in frames["dates"]
    assert frames["dates"] == sorted(frames["dates"])
    stop = frames["dates"].index("2022-03-05")
    assert frames["titles"][stop] == spec["figure"]["layout"]["title"]["text"]
    assert len(frames["points"]) == 2 * len(load_bundled().issues)
    assert "template" not in spec["figure"]["layout"]  # the page's theme applies
    (bars,) = [s for s in travel_specs(at, followers=True) if s.get("follows")]
    assert bars["frames"]["dates"] == frames["dates"]  # the alignment chart follows the slider
    assert bars["frames"]["titles"][stop] == bars["figure"]["layout"]["title"]["text"]
    move_as_of(at, dt.date(2022, 4, 1))
    (moved,) = travel_specs(at)
    assert moved["frames"] == frames and moved["date"] == "2022-04-01"
