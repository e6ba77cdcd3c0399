"""Evidence where the eye is: a click on a chart, or the keyboard alone, opens a cell's evidence
in a drawer inside the window at 1280x720, with the matrix cell outlined."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_idle
from tests.browser.helpers import CELL_POSITION_JS, click_cell, matrix_ready
from tests.browser.test_map_browser import LABEL_CENTRE_JS, map_ready

WINDOW = {"width": 1280, "height": 720}
DRAWER = "[role=dialog]"
MARKED_JS = """
() => {
  const root = document.querySelector('.st-key-matrix .js-plotly-plot');
  const rects = (root.layout.shapes || []).filter(s => s.type === 'rect');
  const drawn = root.querySelectorAll('.shapelayer path').length;
  return {cells: rects.map(s => [s.x0 + 0.5, s.y0 + 0.5]), drawn};
}
"""
CELL_INDEX_JS = """
([country, issue]) => {
  const root = document.querySelector('.st-key-matrix .js-plotly-plot');
  const t = root._fullData.find(t => t.name === 'select');
  const i = t.customdata.findIndex(c => c[0] === country && c[1] === issue);
  return [t.x[i], t.y[i]];
}
"""
MARKER_JS = """
([key, country, issue]) => {
  const root = document.querySelector(`.st-key-${key} .js-plotly-plot`);
  const L = root._fullLayout, box = root.getBoundingClientRect();
  const t = root._fullData.find(t => t.customdata && [...t.customdata].some(
      c => c[0] === country && c[1] === issue));
  const i = [...t.customdata].findIndex(c => c[0] === country && c[1] === issue);
  return {x: box.left + L._size.l + L.xaxis.d2p(t.x[i]),
          y: box.top + L._size.t + L.yaxis.l2p(t.y[i])};
}
"""


def inside_window(page: Page, selector: str) -> dict:
    """The element's bounding box once the drawer has slid in, asserted to lie inside the
    window."""
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not drawn"
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= WINDOW["width"] + 0.5, box
    assert box["y"] + box["height"] <= WINDOW["height"] + 0.5, box
    return box


def assert_evidence_in_view(page: Page, heading: str) -> dict:
    """The drawer shows `heading`, and the drawer and the heading are inside the window."""
    drawer = page.locator(DRAWER)
    expect(drawer).to_contain_text(heading, timeout=15_000)
    wait_idle(page)
    inside_window(page, f"{DRAWER} .st-key-evidence h3")
    return inside_window(page, DRAWER)


def assert_marked(page: Page, country: str, issue: str) -> None:
    cell = page.evaluate(CELL_INDEX_JS, [country, issue])
    marked = page.evaluate(MARKED_JS)
    assert marked["cells"] == [cell] and marked["drawn"] >= 1


def click_at(page: Page, pos: dict) -> None:
    page.mouse.move(pos["x"], pos["y"])
    page.wait_for_timeout(300)
    page.mouse.click(pos["x"], pos["y"])


def test_a_click_on_a_low_matrix_cell_opens_its_evidence_in_view_and_outlines_it(page, base_url):
    page.set_viewport_size(WINDOW)
    page.goto(base_url + "/")
    matrix_ready(page)
    page.locator(".st-key-matrix").scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)  # Moldova's row, at the bottom of the matrix
    page.wait_for_timeout(300)
    click_cell(page, "MDA", "unga_es11_1")
    drawer = assert_evidence_in_view(page, "Evidence: Moldova · UNGA ES-11/1")
    assert_marked(page, "MDA", "unga_es11_1")
    cell = page.evaluate(CELL_POSITION_JS, ["matrix", "MDA", "unga_es11_1"])
    assert not drawer["x"] <= cell["x"] <= drawer["x"] + drawer["width"]  # the cell stays in sight
    assert 0 <= cell["y"] <= WINDOW["height"]
    assert "cell=MDA%3Aunga_es11_1" in page.url
    page.keyboard.press("Escape")
    expect(page.locator(DRAWER)).to_have_count(0)
    click_cell(page, "KGZ", "anti_war_protests")  # a cell on the right: the drawer opens left
    drawer = assert_evidence_in_view(page, "Evidence: Kyrgyzstan · Anti-war protests")
    cell = page.evaluate(CELL_POSITION_JS, ["matrix", "KGZ", "anti_war_protests"])
    assert cell["x"] > drawer["x"] + drawer["width"]
    assert_marked(page, "KGZ", "anti_war_protests")
    assert page.external_requests == []


def focus_picker_by_tab(page: Page) -> None:
    """Tab from the top of the page until the 'Evidence for' picker has the focus."""
    picker = page.get_by_role("combobox", name="Evidence for")
    for _ in range(40):
        page.keyboard.press("Tab")
        if picker.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError("Tab never reached the Evidence for picker")


def test_the_keyboard_alone_reaches_any_cells_evidence(page, base_url):
    page.set_viewport_size(WINDOW)
    page.goto(base_url + "/")
    matrix_ready(page)
    focus_picker_by_tab(page)
    page.keyboard.type("Tajikistan · Troops")
    page.keyboard.press("Enter")
    assert_evidence_in_view(page, "Evidence: Tajikistan · Troops for Russia")
    assert_marked(page, "TJK", "troop_request")
    page.keyboard.press("Escape")
    expect(page.locator(DRAWER)).to_have_count(0)
    wait_idle(page)
    # the picker again, and the arrow keys to the next cell in the list
    picker = page.get_by_role("combobox", name="Evidence for")
    picker.focus()
    page.keyboard.press("ArrowDown")  # opens the list on the chosen cell
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    drawer = page.locator(DRAWER)
    expect(drawer).to_contain_text("Evidence: Tajikistan · ", timeout=15_000)
    assert "Troops for Russia" not in drawer.locator("h3").first.text_content()
    inside_window(page, DRAWER)
    page.keyboard.press("Escape")
    expect(page.locator(DRAWER)).to_have_count(0)
    # the same cell again: Tab on to the button, Enter
    picker.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show evidence")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(DRAWER)).to_contain_text("Evidence: Tajikistan · ", timeout=15_000)
    inside_window(page, DRAWER)


def test_a_deep_link_opens_the_evidence_in_view_on_load(page, base_url):
    page.set_viewport_size(WINDOW)
    page.goto(f"{base_url}/?cell=KAZ:troop_request")
    assert_evidence_in_view(page, "Evidence: Kazakhstan · Troops for Russia")
    matrix_ready(page)  # the browser draws the matrix once plotly.js has loaded
    assert_marked(page, "KAZ", "troop_request")


@pytest.mark.parametrize(
    ("path", "chart"),
    [("timeline?countries=UZB", "timeline"), ("country?country=UZB", "country_timeline")],
)
def test_a_click_on_a_timeline_marker_opens_its_evidence_in_view(page, base_url, path, chart):
    """On the timeline page and on the country profile's timeline."""
    page.set_viewport_size(WINDOW)
    page.goto(f"{base_url}/{path}")
    page.wait_for_selector(f".st-key-{chart} .js-plotly-plot .main-svg", timeout=30_000)
    wait_idle(page)
    page.locator(f".st-key-{chart}").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    click_at(page, page.evaluate(MARKER_JS, [chart, "UZB", "flights_to_russia"]))
    assert_evidence_in_view(page, "Evidence: Uzbekistan · Flights to Russia")


def test_a_click_on_a_map_label_opens_its_evidence_in_view(page, base_url):
    page.set_viewport_size(WINDOW)
    page.goto(f"{base_url}/map?show=dpr_lpr_recognition&region=Central+Asia")
    map_ready(page)
    page.locator(".st-key-map").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    click_at(page, page.evaluate(LABEL_CENTRE_JS, ["UZB"]))
    assert_evidence_in_view(page, "Evidence: Uzbekistan · DPR/LPR recognition")
