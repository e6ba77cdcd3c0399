"""Every page in a real browser: drawn without error, deep links restored, nothing external."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from core.analysis.query import change_dates
from core.ingest.package import load_bundled
from tests.browser.conftest import wait_idle
from tests.browser.helpers import (
    chart_title,
    click_cell,
    matrix_cell_text,
    matrix_ready,
)

PAGES = {
    "/": "matrix",
    "/timeline": "timeline",
    "/compare": "agreement",
    "/country": "country_alignment",
    "/changes": None,
    "/about": None,
}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_draws_without_error_or_external_requests(page, base_url, path):
    page.goto(base_url + path)
    wait_idle(page)
    key = PAGES[path]
    if key:
        page.wait_for_selector(f".st-key-{key} .js-plotly-plot .main-svg", timeout=30_000)
    else:
        page.wait_for_selector("h1", timeout=30_000)
    wait_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("h1").count() >= 1
    assert page.external_requests == []


def test_deep_link_restores_countries_date_and_cell(page, base_url):
    page.goto(
        f"{base_url}/?countries=KAZ&countries=UZB&as_of=2022-03-20&cell=UZB:dpr_lpr_recognition"
    )
    matrix_ready(page)
    rows = page.locator(".st-key-matrix .yaxislayer-above .ytick text").all_text_contents()
    assert rows == ["Kazakhstan", "Uzbekistan"]
    assert chart_title(page, "matrix").endswith("as of 20 Mar 2022")
    panel = page.locator(".st-key-evidence")
    expect(panel).to_contain_text("Evidence: Uzbekistan · DPR/LPR recognition")
    expect(panel).to_contain_text("17 Mar 2022")
    assert "countries=KAZ" in page.url and "as_of=2022-03-20" in page.url
    assert "cell=UZB%3Adpr_lpr_recognition" in page.url or "cell=UZB:dpr" in page.url


def test_moving_as_of_into_april_bans_kyrgyz_protests(page, base_url):
    page.goto(f"{base_url}/?countries=KGZ&as_of=2022-03-05")
    matrix_ready(page)
    assert matrix_cell_text(page, "KGZ", "anti_war_protests") == "Allowed"
    thumb = page.get_by_role("slider")
    thumb.focus()
    stops = [d.date() for d in change_dates(load_bundled())]
    after = [d for d in stops if dt.date(2022, 3, 5) < d <= dt.date(2022, 4, 1)]
    for _ in after:  # one key per date when something changed, to 1 April
        page.keyboard.press("ArrowRight")
    new_title = page.locator(".st-key-matrix .gtitle", has_text="as of 1 Apr 2022")
    expect(new_title).to_be_visible(timeout=20_000)
    wait_idle(page)
    assert matrix_cell_text(page, "KGZ", "anti_war_protests") == "Banned"
    expect(page).to_have_url(re.compile("as_of=2022-04-01"))  # once the slider settles


def test_clicking_a_timeline_marker_opens_its_evidence(page, base_url):
    page.goto(f"{base_url}/timeline?countries=UZB")
    page.wait_for_selector(".st-key-timeline .js-plotly-plot .main-svg")
    wait_idle(page)
    pos = page.evaluate(
        """() => {
          const root = document.querySelector('.st-key-timeline .js-plotly-plot');
          const L = root._fullLayout, box = root.getBoundingClientRect();
          const t = root._fullData.find(t => t.customdata && t.name.startsWith('Economy'));
          const i = t.customdata.findIndex(c => c[1] === 'flights_to_russia');
          return {x: box.left + L._size.l + L.xaxis.d2p(t.x[i]),
                  y: box.top + L._size.t + L.yaxis.l2p(t.y[i])};
        }"""
    )
    page.mouse.move(pos["x"], pos["y"])
    page.wait_for_timeout(300)
    page.mouse.click(pos["x"], pos["y"])
    # a marker alone on its day (9 March 2022), so that the click cannot land on a neighbour
    expect(page.locator(".st-key-evidence")).to_contain_text(
        "Evidence: Uzbekistan · Flights to Russia", timeout=15_000
    )


def test_link_to_this_view_shows_the_current_state(page, base_url):
    page.goto(f"{base_url}/?countries=TJK&as_of=2022-03-02")
    matrix_ready(page)
    click_cell(page, "TJK", "unga_es11_1")
    page.keyboard.press("Escape")  # close the evidence drawer, which is modal
    page.get_by_role("button", name=re.compile("Link to this view")).click()
    code = page.locator("[data-testid=stCode]").last
    expect(code).to_contain_text("countries=TJK")
    expect(code).to_contain_text("as_of=2022-03-02")
    expect(code).to_contain_text("cell=TJK%3Aunga_es11_1")


def test_the_date_in_the_link_stays_a_date_across_page_switches(page, base_url):
    page.goto(f"{base_url}/?as_of=2022-03-15")
    matrix_ready(page)
    for name, path in [("Timeline", "/timeline"), ("Matrix", "/?"), ("Map", "/map?")]:
        page.get_by_role("link", name=name).click()
        page.wait_for_url(f"**{path}*", timeout=15_000)
        wait_idle(page)
    assert "as_of=2022-03-15" in page.url  # not Streamlit's microseconds, 1647302400000000
    expect(page.locator(".st-key-map .gtitle").first).to_contain_text("as of 15 Mar 2022")
