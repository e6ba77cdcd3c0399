"""Accessibility in a real browser: axe-core on every page in the light and the dark theme, the
theme following the system's preference, and chart text large enough to read at 1280 wide.

axe-core comes bundled with axe-playwright-python and is injected from disk: no other host.
"""

from __future__ import annotations

from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from figures.contrast import AA_TEXT, contrast_ratio
from figures.options import MIN_TEXT_SIZE
from tests.browser.conftest import LOCAL_PREFIXES, wait_idle
from ui.contract import PAGES

SCHEMES = ["light", "dark"]
BLOCKING = {"serious", "critical"}
RETIRED_RULES = {"duplicate-id-active"}
"""Rules the bundled axe-core 4.4 still runs: the WCAG 2.0 "parsing" rule (4.1.1), which WCAG 2.2
made obsolete and axe-core 4.7 retired. It fires when a page shows two st.dataframe grids:
Streamlit's grid numbers its hidden accessible cells from 0 in each. duplicate-id-aria, for ids
that ARIA attributes point at, stays on."""
ARIA_1_2_FIXES = {"aria-required-attr": ('role="spinbutton"', "aria-valuenow")}
"""Nodes axe-core 4.4 flags against ARIA 1.1 that ARIA 1.2 allows (and axe-core 4.5 accepts): a
spinbutton needs no aria-valuenow while it is empty. Streamlit's date input, empty until the
user types a date ('Go to a date' beside As of), renders its day, month and year that way (axe-core
issue 3505, fixed after 4.4)."""
CHART_PAGES = ["matrix", "map", "timeline", "compare", "country", "present"]

CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .every(p => p.querySelector('.main-svg'))
  && [...document.querySelectorAll('.tt-plot')].every(c => c.querySelector('.main-svg'))
"""
"""Every chart drawn: Streamlit's, and those ui.time_travel draws in the browser."""
CHART_TEXT_JS = """() => [...document.querySelectorAll('.js-plotly-plot svg text')]
    .filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .map(t => ({
      text: t.textContent.trim().slice(0, 30),
      size: parseFloat(getComputedStyle(t).fontSize),
      fill: getComputedStyle(t).fill,
      opacity: parseFloat(getComputedStyle(t).fillOpacity),
      source: t.classList.contains('gtitle-subtitle'),
      onPage: !t.closest('.heatmaplayer, .geolayer'),
    }))"""
BACKGROUND_JS = """() => getComputedStyle(document.querySelector('[data-testid=stApp]'))
    .backgroundColor"""


def open_page(browser, base_url: str, name: str, scheme: str) -> Page:
    """A fresh 1280x900 context in `scheme`, on page `name` with its charts drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.external_requests = out = []
    page.on("request", lambda r: None if r.url.startswith(LOCAL_PREFIXES) else out.append(r.url))
    page.goto(f"{base_url}/{'' if name == PAGES[0].name else name}")
    wait_idle(page)
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=30_000)
    wait_idle(page)
    return page


def blocking_violations(page: Page) -> Counter:
    """(rule id, impact, first target) -> node count of every serious or critical violation."""
    results = Axe().run(page)
    found: Counter = Counter()
    for rule in results.response["violations"]:
        if rule["id"] in RETIRED_RULES:
            continue
        for node in rule["nodes"]:
            role, attribute = ARIA_1_2_FIXES.get(rule["id"], ("", ""))
            if role and role in node["html"] and attribute in node["failureSummary"]:
                continue
            if (node.get("impact") or rule["impact"]) in BLOCKING:
                found[(rule["id"], node.get("impact") or rule["impact"])] += 1
    return found


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", [p.name for p in PAGES])
def test_axe_finds_no_serious_violation(browser, base_url, name, scheme):
    page = open_page(browser, base_url, name, scheme)
    found = blocking_violations(page)
    assert not found, f"/{name} in {scheme}: {dict(found)}"
    assert page.external_requests == []
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_theme_follows_the_system_preference(browser, base_url, scheme):
    page = open_page(browser, base_url, PAGES[0].name, scheme)
    red, green, blue = (int(v) for v in page.evaluate(BACKGROUND_JS)[4:-1].split(",")[:3])
    dark = (red + green + blue) / 3 < 128
    assert dark == (scheme == "dark"), page.evaluate(BACKGROUND_JS)
    page.context.close()


def chart_text(page: Page) -> list[dict]:
    texts = page.evaluate(CHART_TEXT_JS)
    assert texts, "no chart text drawn"
    return texts


def ink(text: dict) -> str:
    return text["fill"].replace("rgb(", "rgba(").replace(")", f",{text['opacity']})")


@pytest.mark.parametrize("name", CHART_PAGES)
def test_chart_text_is_at_least_12px_at_1280_wide(browser, base_url, name):
    page = open_page(browser, base_url, name, "light")
    texts = [t for t in chart_text(page) if not t["source"]]
    small = sorted({(t["text"], t["size"]) for t in texts if t["size"] < MIN_TEXT_SIZE})
    assert not small, f"/{name}: text under {MIN_TEXT_SIZE} px: {small[:10]}"
    page.context.close()


def test_the_source_line_under_a_chart_title_is_at_least_12px(browser, base_url):
    page = open_page(browser, base_url, PAGES[0].name, "light")
    sizes = {t["size"] for t in chart_text(page) if t["source"]}
    assert sizes and min(sizes) >= MIN_TEXT_SIZE, sizes
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", CHART_PAGES)
def test_chart_text_on_the_page_has_4_5_to_1_contrast(browser, base_url, name, scheme):
    """Titles, axis labels, legends and notes, which lie on the page's own background (text on
    the marks is checked against each mark's colour in tests/unit/test_contrast.py)."""
    page = open_page(browser, base_url, name, scheme)
    background = page.evaluate(BACKGROUND_JS)
    faint = sorted(
        {(t["text"], ink(t), round(contrast_ratio(ink(t), background), 2))
         for t in chart_text(page) if t["onPage"] and contrast_ratio(ink(t), background) < AA_TEXT}
    )  # fmt: skip
    assert not faint, f"/{name} in {scheme} on {background}: {faint[:10]}"
    page.context.close()
