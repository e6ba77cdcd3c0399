"""Exports in a real browser: the view's workbook downloaded from the matrix, a chart's PNG and
SVG buttons by keyboard, and the matrix printed on one A4 landscape page."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from openpyxl import load_workbook

from tests.browser.conftest import wait_idle
from tests.browser.helpers import matrix_ready
from ui.charts import PRINT_AREA_PX

A4_LANDSCAPE_PT = (842, 595)
PDF_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
ONLY_MATRIX_JS = """
() => document.querySelectorAll('[data-testid=stMainBlockContainer] *').forEach((e) => {
  const keep = e.closest('.st-key-matrix') || e.querySelector('.st-key-matrix');
  if (!keep) e.style.setProperty('display', 'none', 'important');
})
"""
"""Hide everything but the matrix chart, so the PDF holds the matrix region alone."""


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The size in points of each page of a PDF (Chromium writes page objects uncompressed)."""
    assert len(PDF_PAGE.findall(pdf)) == len(MEDIA_BOX.findall(pdf))
    return [(round(float(w)), round(float(h))) for w, h in MEDIA_BOX.findall(pdf)]


def open_download_popover(page) -> None:
    page.get_by_role("button", name="Download this view").click()
    page.get_by_role("button", name="Workbook with README (XLSX)").wait_for()


def test_the_matrix_view_downloads_as_a_typed_workbook(page, base_url):
    page.goto(base_url + "/?as_of=2022-03-15&countries=KAZ&countries=KGZ")
    matrix_ready(page)
    open_download_popover(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Workbook with README (XLSX)").click()
    download = info.value
    assert download.suggested_filename == "matrix-2022-03-15.xlsx"
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert book.sheetnames == ["data", "README"] and book.active.title == "data"
    rows = list(book["data"].iter_rows(values_only=True))
    header, data = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert header[:3] == ("Country", "ISO3", "Issue")
    assert {r["ISO3"] for r in data} == {"KAZ", "KGZ"}
    vote = next(r for r in data if r["ISO3"] == "KAZ" and r["Issue id"] == "unga_es11_1")
    assert vote["Score"] == 0 and isinstance(vote["Score"], int)
    assert vote["Date"] == dt.datetime(2022, 3, 2)
    date_cell = book["data"].cell(2 + data.index(vote), header.index("Date") + 1)
    assert date_cell.number_format == "YYYY-MM-DD"
    readme = dict(book["README"].iter_rows(min_row=2, values_only=True))
    assert readme["As of"] == dt.datetime(2022, 3, 15)
    assert readme["Filter: countries"] == "2: Kazakhstan, Kyrgyzstan"
    assert "countries=KAZ" in readme["Link to this view"]
    assert page.external_requests == []


def test_a_chart_downloads_as_svg_from_the_keyboard(page, base_url):
    page.goto(base_url + "/")
    matrix_ready(page)
    svg = page.locator(".chart-images button[data-chart-key=matrix][data-format=svg]")
    svg.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".svg")
    assert Path(info.value.path()).read_bytes()[:200].lstrip().startswith(b"<svg")
    png = page.locator(".chart-images button[data-chart-key=matrix][data-format=png]")
    with page.expect_download() as info:
        png.click()
    assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_printing_the_matrix_puts_it_with_its_legend_on_one_a4_landscape_page(page, base_url):
    page.goto(base_url + "/")
    matrix_ready(page)
    wait_idle(page)
    page.emulate_media(media="print")
    box = page.locator(".st-key-matrix .js-plotly-plot").bounding_box()
    legend = page.locator(".st-key-matrix .legend").bounding_box()
    columns = page.locator(".st-key-matrix .xaxislayer-above .xtick").count()
    print("print box", box, "legend", legend, "columns", columns)
    assert box["width"] <= PRINT_AREA_PX[0] + 1 and box["height"] <= PRINT_AREA_PX[1] + 1
    assert legend["y"] + legend["height"] <= box["y"] + box["height"] + 1
    whole = pdf_pages(page.pdf(format="A4", landscape=True, prefer_css_page_size=True))
    page.evaluate(ONLY_MATRIX_JS)
    alone = pdf_pages(page.pdf(format="A4", landscape=True, prefer_css_page_size=True))
    print("pdf pages: whole page", len(whole), "matrix region", len(alone))
    assert alone == [A4_LANDSCAPE_PT]
    assert set(whole) == {A4_LANDSCAPE_PT}
