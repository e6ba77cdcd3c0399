"""The As of control by keyboard and typed date, and What changed's chart and rows, in Chromium."""

from __future__ import annotations

import re

import pandas as pd
from playwright.sync_api import Page, expect

from core.analysis.measures import changes
from core.analysis.query import change_dates, format_date, un_vote_issues
from core.ingest.package import load_bundled
from tests.browser.conftest import wait_idle
from tests.browser.helpers import matrix_ready

CHANGES = [d.date() for d in change_dates(load_bundled())]
ISO = re.compile(r"[?&]as_of=(\d{4}-\d{2}-\d{2})(&|$)")


def title_says(page: Page, day) -> None:
    """Wait until the matrix's title names `day`, then until the page is idle."""
    title = page.locator(".st-key-matrix .gtitle", has_text=f"as of {format_date(day, 'day')}")
    expect(title).to_be_visible(timeout=20_000)
    wait_idle(page)


def url_says(page: Page, day) -> None:
    """Wait until the link names `day` (the browser reports a date once the slider settles)."""
    expect(page).to_have_url(re.compile(rf"[?&]as_of={day.isoformat()}(&|$)"), timeout=20_000)
    wait_idle(page)


def press(page: Page, key: str) -> None:
    slider = page.get_by_role("slider", name="As of")
    slider.focus()
    page.keyboard.press(key)


def test_right_moves_to_the_next_change_date_and_the_link_keeps_a_date(page, base_url):
    start = CHANGES.index(CHANGES[0].replace(month=3, day=4))
    page.goto(f"{base_url}/?countries=KGZ&as_of={CHANGES[start].isoformat()}")
    matrix_ready(page)
    slider = page.get_by_role("slider", name="As of")
    expect(slider).to_have_attribute("aria-valuetext", "4 Mar 2022")
    for step in (1, 2):
        press(page, "ArrowRight")
        title_says(page, CHANGES[start + step])  # 6 Mar, then 7 Mar: no stop on 5 Mar
        url_says(page, CHANGES[start + step])
    expect(slider).to_have_attribute("aria-valuetext", format_date(CHANGES[start + 2], "day"))


def test_end_and_home_go_to_the_last_and_the_first_date(page, base_url):
    page.goto(f"{base_url}/?countries=KGZ&as_of=2022-03-05")  # no change that day: a stop
    matrix_ready(page)
    title_says(page, CHANGES[0].replace(month=3, day=5))
    press(page, "End")
    title_says(page, CHANGES[-1])
    expect(page).not_to_have_url(re.compile("as_of="), timeout=20_000)  # the default
    wait_idle(page)
    expect(page.get_by_text(f"Showing the latest date in the data, "
                            f"{format_date(CHANGES[-1], 'day')}.")).to_be_visible()  # fmt: skip
    press(page, "Home")
    title_says(page, CHANGES[0])
    url_says(page, CHANGES[0])


def test_a_typed_date_snaps_to_the_change_before_it(page, base_url):
    page.goto(f"{base_url}/?countries=KGZ")
    matrix_ready(page)
    year = page.get_by_role("spinbutton", name="year, Go to a date")
    year.click()
    page.keyboard.type("20220305")  # year, month, day: each segment passes on to the next
    page.keyboard.press("Tab")  # to the calendar button
    page.keyboard.press("Tab")  # out of the field: Streamlit sends a typed date on leaving it
    title_says(page, CHANGES[0].replace(month=3, day=4))
    expect(page.get_by_text("You typed 5 Mar 2022: nothing changed that day")).to_be_visible()
    assert "as_of=2022-03-04" in page.url


def test_jump_to_a_key_date(page, base_url):
    page.goto(f"{base_url}/?countries=KGZ")
    matrix_ready(page)
    page.get_by_label("Jump to").click()
    page.get_by_role("option").filter(has_text="UNGA ES-11/3").click()
    title_says(page, CHANGES[0].replace(month=4, day=7))
    assert "as_of=2022-04-07" in page.url


def test_what_changed_draws_its_chart_and_a_clicked_row_opens_the_evidence(page, base_url):
    page.goto(f"{base_url}/changes?countries=KGZ")
    page.wait_for_selector(".st-key-changes_chart .js-plotly-plot .main-svg", timeout=30_000)
    wait_idle(page)
    dots = page.evaluate(
        """() => document.querySelector('.st-key-changes_chart .js-plotly-plot')._fullData
              .find(t => t.name === 'Where it stands at the end').x.length"""
    )
    assert dots > 0
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    wait_idle(page)
    box = grid.bounding_box()
    row_height = header = 35  # the grid is a canvas: click the third row's selection marker
    page.mouse.click(box["x"] + 20, box["y"] + header + row_height * 2 + row_height / 2)
    third = changes_rows(page)[2]
    evidence = page.locator(".st-key-evidence")
    expect(evidence).to_contain_text(f"Evidence: Kyrgyzstan · {third}", timeout=15_000)
    assert re.search(r"cell=KGZ(%3A|:)\w+", page.url)
    assert page.external_requests == []


def changes_rows(page: Page) -> list[str]:
    """The issues of What changed's rows, as the page lists them (the same query as the page)."""
    ds = load_bundled()
    moved = changes(ds, pd.Timestamp("2022-02-24"), ds.positions["date"].max(), ["KGZ"])
    return list(moved.loc[~moved["issue"].isin(un_vote_issues(ds)), "issue_label"])
