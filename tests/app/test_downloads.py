"""AppTest: every data page offers *Download this view* (CSV and XLSX) and a chart's PNG and SVG
buttons sit right beside it."""

from __future__ import annotations

import pytest

from tests.app.helpers import run_page, travel_specs
from ui.contract import DATA_PAGES

CHART_PAGES = [p for p in DATA_PAGES if p != "changes"]


def downloads(at) -> list[str]:
    """The labels of the download buttons on the page (their ids carry their keys)."""
    return [b.proto.label for b in at.get("download_button") if "view_" in b.proto.id]


@pytest.mark.parametrize("page", DATA_PAGES)
def test_every_data_page_offers_this_view_as_csv_and_xlsx(page):
    at = run_page(f"{page}.py")
    assert downloads(at) == ["Table (CSV)", "Workbook with README (XLSX)"]
    assert all(b.proto.deferred_file_id for b in at.get("download_button") if "view_" in b.proto.id)


def test_the_download_follows_the_filters_into_its_row_count():
    at = run_page("compare.py", countries=["KGZ", "UZB"], issues=["anti_war_protests"])
    caption = [c.value for c in at.caption if "cells or observations shown" in c.value]
    assert caption and caption[0].startswith("The 2 cells or observations shown")


@pytest.mark.parametrize("page", CHART_PAGES)
def test_each_chart_has_png_and_svg_buttons_beside_it(page):
    at = run_page(f"{page}.py")
    bodies = [h.proto.body for h in at.get("html")]
    buttons = [b for b in bodies if "data-chart-key" in b]
    charts = len(at.get("plotly_chart")) + len(travel_specs(at, followers=True))
    assert len(buttons) == charts > 0
    assert all('data-format="png"' in b and 'data-format="svg"' in b for b in buttons)
    assert any("@media print" in b for b in bodies)
