"""A heavy or hostile upload is read in a worker: other sessions keep answering, Cancel works.

Latencies are printed (run with `-s` to see them), never asserted: the benchmark measures speed.
What is asserted is order: another session finishes its reruns while the upload is still being
read, which a server frozen by the file could not do.
"""

from __future__ import annotations

import datetime as dt
import re
import time

from playwright.sync_api import Page, expect

from core.analysis.query import change_dates
from core.ingest.package import load_bundled
from tests.browser.conftest import wait_idle
from tests.browser.helpers import matrix_cell_text, matrix_ready

HEADER = "country,issue,date,date_precision,stance,confidence,summary,source,locator\n"
HEAVY_ROWS = 99_000
HEAVY_ROW = "KAZ,troop_request,2022-03-01,daily,maybe,sure," + "x" * 140 + ",S99,p. 1\n"
"""Just under the row and size limits (20 MB), five broken rules in each row and each row repeating
the first: about as much work as one file may ask for."""
FREEZE = 'country,summary\nKAZ,"' + "x," * 150_000 + '"\n'
"""One 300 KB quoted line: this froze the whole server for minutes when csv.Sniffer read it."""
STOPS = [d.date() for d in change_dates(load_bundled())]
"""The As of slider's stops: the dates when something changed."""


def heavy_file(tmp_path) -> str:
    path = tmp_path / "heavy.csv"
    path.write_text(
        HEADER
        + "KAZ,troop_request,2022-03-01,day,refused,high,A repeated row.,S1,p. 1\n" * HEAVY_ROWS,
        encoding="utf-8",
    )
    return str(path)


def start_import(page: Page, base_url: str, path: str) -> None:
    page.goto(f"{base_url}/data")
    wait_idle(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(path)
    expect(page.get_by_role("button", name="Import")).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="Import").click()


def rerun_other_session(other: Page, start: dt.date, presses: int) -> list[float]:
    """Seconds each of `presses` moves of the As of slider (from `start`, one date when
    something changed at a time) took to redraw the matrix, in another session."""
    thumb = other.get_by_role("slider")
    seconds = []
    for day in [d for d in STOPS if d > start][:presses]:
        started = time.perf_counter()
        thumb.focus()
        other.keyboard.press("ArrowRight")
        title = other.locator(".st-key-matrix .gtitle", has_text=f"as of {day.day} {day:%b %Y}")
        expect(title).to_be_visible(timeout=60_000)
        wait_idle(other)
        seconds.append(round(time.perf_counter() - started, 3))
    return seconds


def test_other_sessions_keep_answering_while_a_heavy_file_is_read(
    browser, page, base_url, tmp_path
):
    other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    other.goto(f"{base_url}/?countries=KGZ&as_of=2022-03-01")
    matrix_ready(other)
    idle = rerun_other_session(other, dt.date(2022, 3, 1), 3)

    start_import(page, base_url, heavy_file(tmp_path))
    progress = page.locator(".st-key-import_progress")
    expect(progress).to_be_visible(timeout=15_000)
    during = rerun_other_session(other, dt.date(2022, 3, 4), 3)  # to 9 March: still allowed
    health = other.request.get(f"{base_url}/_stcore/health")
    still_reading = progress.is_visible()
    print(f"\nother session's redraw, idle: {idle}; during the heavy import: {during}")

    assert health.ok
    assert still_reading, "the import ended before the other session's three redraws"
    assert matrix_cell_text(other, "KGZ", "anti_war_protests") == "Allowed"
    expect(page.get_by_text("heavy.csv was not applied")).to_be_visible(timeout=120_000)
    expect(page.get_by_text("more problems are not listed")).to_have_count(0)  # on screen: 1,000
    expect(page.get_by_text(re.compile(r"not applied: [0-9,]{6,} problem"))).to_be_visible()
    expect(progress).to_have_count(0)  # the progress bar and its Cancel button are gone
    other.context.close()


def test_the_freeze_file_is_refused_and_the_server_stays_up(browser, page, base_url, tmp_path):
    path = tmp_path / "freeze.csv"
    path.write_text(FREEZE, encoding="utf-8")
    other = browser.new_context().new_page()
    start_import(page, base_url, str(path))
    started = time.perf_counter()
    health = other.request.get(f"{base_url}/_stcore/health", timeout=30_000)
    print(f"\nhealth check during the freeze file: {time.perf_counter() - started:.3f} s")
    assert health.ok
    wait_idle(page)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    expect(page.get_by_text("freeze.csv was not applied")).to_be_visible()
    other.context.close()


def test_cancel_stops_the_import_and_keeps_the_data(page, base_url, tmp_path):
    start_import(page, base_url, heavy_file(tmp_path))
    expect(page.locator(".st-key-import_progress")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Cancel import").click()
    expect(page.get_by_text("The import was cancelled")).to_be_visible(timeout=15_000)
    wait_idle(page)
    assert "data=" not in page.url
    expect(page.get_by_text("heavy.csv was not applied")).to_have_count(0)
    expect(page.locator(".st-key-import_progress")).to_have_count(0)
