"""The As of control: stops at the change dates, a typed date, key dates, the date in words."""

from __future__ import annotations

import datetime as dt

import pytest

from core.analysis.query import change_dates, format_date, key_dates
from core.ingest.package import load_bundled
from tests.app.helpers import as_of_shown, as_of_stops, figure, move_as_of, run_page, texts

TITLE = "Positions on Russia's war in Ukraine"
DS = load_bundled()
CHANGES = [d.date() for d in change_dates(DS)]
LAST = CHANGES[-1]


def day(value: dt.date) -> str:
    return format_date(value, "day")


def shown(at) -> dt.date:
    return as_of_shown(at)


@pytest.mark.parametrize("page", ["matrix.py", "map.py", "compare.py"])
def test_the_slider_stops_at_the_change_dates_and_states_the_default(page):
    at = run_page(page, countries=["KAZ", "UZB"])
    if page != "matrix.py":  # the matrix's is drawn in the browser: tests/browser
        assert at.select_slider(key="as_of").label == "As of"
    assert as_of_stops(at) == [day(d) for d in CHANGES]
    assert shown(at) == LAST and "as_of" not in at.query_params
    assert f"Showing the latest date in the data, {day(LAST)}." in texts(at)


def test_a_link_date_that_is_no_change_date_opens_at_that_exact_date():
    linked = dt.date(2022, 3, 5)
    assert linked not in CHANGES
    at = run_page(as_of=linked.isoformat())
    assert shown(at) == linked and day(linked) in as_of_stops(at)
    assert as_of_stops(at) == [day(d) for d in sorted([*CHANGES, linked])]
    assert figure(at, TITLE)["layout"]["title"]["text"].endswith("as of 5 Mar 2022")
    assert "nothing changed that day" in texts(at)
    assert at.query_params["as_of"] == "2022-03-05"
    following = CHANGES[CHANGES.index(dt.date(2022, 3, 4)) + 1]
    move_as_of(at, following)  # one step right
    assert day(linked) in as_of_stops(at)  # stops stay where they were
    assert at.query_params["as_of"] == following.isoformat()
    assert "nothing changed that day" not in texts(at)


@pytest.mark.parametrize(
    ("typed", "expected", "words"),
    [
        (dt.date(2022, 3, 15), dt.date(2022, 3, 15), "Showing 15 Mar 2022."),
        (dt.date(2022, 3, 5), dt.date(2022, 3, 4), "You typed 5 Mar 2022: nothing changed that "
         "day, so this shows 4 Mar 2022, the latest change on or before it."),
        (dt.date(2019, 6, 1), CHANGES[0], f"You typed 1 Jun 2019, before the first date: this "
         f"shows {day(CHANGES[0])}."),
        (dt.date(2031, 1, 1), LAST, f"this shows {day(LAST)}, the latest change on or before"),
    ],
)  # fmt: skip
def test_a_typed_date_snaps_to_the_latest_change_on_or_before_it(typed, expected, words):
    at = run_page()
    at.date_input(key="as_of_typed").set_value(typed).run()
    assert shown(at) == expected
    assert words in texts(at)
    assert figure(at, TITLE)["layout"]["title"]["text"].endswith(day(expected))
    assert at.date_input(key="as_of_typed").value is None  # emptied: the slider says the date


def test_the_snapping_note_goes_when_the_slider_moves_on():
    at = run_page()
    at.date_input(key="as_of_typed").set_value(dt.date(2022, 3, 5)).run()
    move_as_of(at, dt.date(2022, 3, 9))
    assert "You typed" not in texts(at) and "Showing 9 Mar 2022." in texts(at)


def test_jump_to_lists_the_key_dates_from_the_data_and_goes_there():
    at = run_page()
    menu = at.selectbox(key="as_of_jump")
    assert menu.label == "Jump to" and menu.value is None
    keys = key_dates(DS)
    assert menu.options == [f"{day(k.date)} · {k.label}" for k in keys]
    assert menu.options[0] == "24 Feb 2022 · Russia's full-scale invasion"
    assert sum("UN vote" in o for o in menu.options) == 7  # ES-11/7 and /8 share a day
    at.selectbox(key="as_of_jump").set_value(dt.date(2022, 4, 7)).run()
    assert shown(at) == dt.date(2022, 4, 7) and at.query_params["as_of"] == "2022-04-07"
    assert figure(at, TITLE)["layout"]["title"]["text"].endswith("7 Apr 2022")
    assert at.selectbox(key="as_of_jump").value is None  # emptied, ready for the next jump
    at.selectbox(key="as_of_jump").set_value(dt.date(2022, 2, 24)).run()
    assert shown(at) == dt.date(2022, 2, 24)


def test_the_date_stays_a_date_across_page_switches():
    at = run_page(as_of="2022-03-05")
    for page in ("timeline.py", "map.py", "matrix.py"):
        at.switch_page(f"app_pages/{page}").run()
        assert not at.exception
    assert shown(at) == dt.date(2022, 3, 5)
    assert at.query_params["as_of"] == "2022-03-05"
