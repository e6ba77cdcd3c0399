"""Bringing your own data in a real browser: upload, problems, isolation, escaping."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_idle
from tests.browser.helpers import CELL_POSITION_JS, click_cell, matrix_ready

WIDE = (
    "country,as_of,UNGA ES-11/1,dpr_lpr_recognition\n"
    "Kyrgyz Republic,2022-03-02,abstain,\n"
    "Türkiye,2022-03-02,yes,refuses\n"
    "BOLIVIA (PLURINATIONAL STATE OF),2022-03-02,no,\n"
)
HOSTILE = "<b>bold</b> <script>alert(1)</script> <img src=x onerror=alert(2)>"
LONG = (
    "country,issue,date,date_precision,stance,confidence,summary,source,locator\n"
    f'Kazakhstan,troop_request,2022-03-01,day,refused,high,"{HOSTILE}",S1,S1 row 1\n'
    "KGZ,anti_war_protests,2022-03-01,day,banned,high,Banned.,S1,S1 row 2\n"
)
BAD = "country,troop_request,as_of\nKAZ,7,2022-03-01\n"


def upload(page: Page, base_url: str, tmp_path, name: str, text: str) -> None:
    page.goto(
        f"{base_url}/data" + (f"?data={page.data_id}" if getattr(page, "data_id", "") else "")
    )
    wait_idle(page)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(path)
    expect(page.get_by_role("button", name="Import")).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="Import").click()
    wait_idle(page)
    page.wait_for_timeout(500)
    wait_idle(page)


def matrix_rows(page: Page) -> list[str]:
    return page.locator(".st-key-matrix .yaxislayer-above .ytick text").all_text_contents()


def test_wide_matrix_upload_is_drawn_on_every_page(page, base_url, tmp_path):
    upload(page, base_url, tmp_path, "wide.csv", WIDE)
    expect(page.get_by_text("Imported wide.csv")).to_be_visible(timeout=10_000)
    assert "data=" in page.url
    page.get_by_role("link", name="Matrix").click()
    matrix_ready(page)
    assert {"Türkiye", "Bolivia"} <= set(matrix_rows(page))
    page.reload()
    matrix_ready(page)
    assert {"Türkiye", "Bolivia"} <= set(matrix_rows(page))  # kept across a reload
    assert page.external_requests == []


def test_bad_file_shows_its_problems_and_the_old_data_stays(page, base_url, tmp_path):
    upload(page, base_url, tmp_path, "wide.csv", WIDE)
    page.data_id = page.url.split("data=")[1].split("&")[0]
    upload(page, base_url, tmp_path, "bad.csv", BAD)
    expect(page.get_by_text("bad.csv was not applied")).to_be_visible(timeout=10_000)
    expect(page.locator(".st-key-problems")).to_be_visible()
    assert page.data_id in page.url
    page.get_by_role("link", name="Matrix").click()
    matrix_ready(page)
    assert "Türkiye" in matrix_rows(page)


def test_an_upload_in_one_session_is_not_seen_in_another(browser, page, base_url, tmp_path):
    upload(page, base_url, tmp_path, "wide.csv", WIDE)
    other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    other.goto(base_url + "/")
    matrix_ready(other)
    assert "Türkiye" not in matrix_rows(other) and len(matrix_rows(other)) == 11
    other.context.close()


def test_text_from_data_stays_literal_in_hover_and_evidence(page, base_url, tmp_path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    upload(page, base_url, tmp_path, "long.csv", LONG)
    expect(page.get_by_text("Imported long.csv")).to_be_visible(timeout=10_000)
    page.get_by_role("link", name="Matrix").click()
    matrix_ready(page)
    click_cell(page, "KAZ", "troop_request")
    expect(page.locator(".st-key-evidence")).to_contain_text("<script>alert(1)</script>")
    expect(page.locator(".st-key-evidence")).to_contain_text("<img src=x onerror=alert(2)>")
    assert page.locator(".st-key-evidence b").count() == 0
    page.keyboard.press("Escape")  # the evidence drawer is modal: close it to hover the chart
    pos = page.evaluate(CELL_POSITION_JS, ["matrix", "KAZ", "troop_request"])
    page.mouse.move(pos["x"] + 2, pos["y"])
    hover = page.locator(".hoverlayer .hovertext").first
    expect(hover).to_contain_text("<b>bold</b>", timeout=10_000)
    assert dialogs == []
