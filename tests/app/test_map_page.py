"""AppTest of the Map page: the index by default, one issue by link, the table, the framing."""

from __future__ import annotations

from figures.map import SELECT
from tests.app.helpers import figure, run_page, texts


def labels(fig: dict) -> dict[str, str]:
    """ISO3 -> the words drawn on each state."""
    (trace,) = [t for t in fig["data"] if t.get("name") == SELECT]
    return {c[0]: t for c, t in zip(trace["customdata"], trace["text"], strict=True)}


def test_the_map_opens_on_the_alignment_index_of_every_state():
    at = run_page("map.py")
    fig = figure(at, "Alignment index as of")
    assert len(labels(fig)) == 11
    assert any(t.get("name") == "index" for t in fig["data"])
    assert fig["layout"]["geo"]["projection"]["type"]
    table = at.table[0].value
    assert len(table) == 11 and "Kazakhstan" in table.index


def test_a_link_opens_one_issue_as_of_its_date():
    at = run_page("map.py", show="unga_es11_1", as_of="2022-03-24")
    fig = figure(at, "UNGA ES-11/1")
    words = labels(fig)
    assert words["RUS"].endswith("-2") and words["BLR"].endswith("-2")
    assert words["KAZ"].endswith(" 0")
    table = at.table[0].value
    assert table.at["Kazakhstan", "Position"].startswith("Abstain (0), 2 Mar 2022")
    assert at.selectbox(key="show").value == "unga_es11_1"


def test_an_issue_that_does_not_concern_a_state_says_so():
    at = run_page("map.py", show="troop_request")
    words = labels(figure(at, "Troop"))
    assert "n/a" in words["RUS"]


def test_choosing_an_issue_and_a_region_redraws():
    at = run_page("map.py")
    at.selectbox(key="show").set_value("unga_es11_2").run()
    assert figure(at, "UNGA ES-11/2")
    at.segmented_control(key="region").set_value("Central Asia").run()
    central = figure(at, "UNGA ES-11/2")["layout"]["geo"]
    at.segmented_control(key="region").set_value("World").run()
    world = figure(at, "UNGA ES-11/2")["layout"]["geo"]
    assert central != world


def test_an_unknown_issue_in_the_link_is_reported_and_ignored():
    at = run_page("map.py", show="no_such_issue")
    assert "show 'no_such_issue'" in texts(at)
    assert figure(at, "Alignment index as of")


def test_the_page_names_how_borders_are_drawn():
    at = run_page("map.py")
    assert "Crimea" in texts(at) and "Natural Earth" in texts(at)
