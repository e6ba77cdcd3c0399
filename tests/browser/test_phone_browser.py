"""The matrix page on a phone (390x844): no sideways scrolling, and the matrix as a list per
country whose stances read at 12 px or more; at 1280 px the chart is back and the list gone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import wait_idle
from tests.browser.helpers import matrix_ready

PHONE = {"width": 390, "height": 844}
LIST = ".st-key-matrix_phone .stance-list"
OVERFLOW_JS = """
() => [document.documentElement, document.body, document.querySelector('[data-testid=stMain]'),
       document.querySelector('[data-testid=stMainBlockContainer]')]
  .map(el => ({name: el.tagName + ' ' + (el.dataset.testid || ''), scroll: el.scrollWidth,
               client: el.clientWidth}))
"""
SMALLEST_TEXT_JS = """
(selector) => Math.min(...[...document.querySelectorAll(selector)]
  .filter(el => el.textContent.trim() && el.getClientRects().length)
  .map(el => parseFloat(getComputedStyle(el).fontSize)))
"""


def test_on_a_phone_the_matrix_is_a_readable_list_and_nothing_scrolls_sideways(page, base_url):
    page.set_viewport_size(PHONE)
    page.goto(base_url + "/")
    page.wait_for_selector(LIST, timeout=30_000)
    wait_idle(page)
    for box in page.evaluate(OVERFLOW_JS):
        assert box["scroll"] <= box["client"], box
    matrix = page.locator(".st-key-matrix .tt-plot")
    expect(matrix).to_have_count(1)
    expect(matrix).to_be_hidden()  # the list replaces it; As of and Play stay
    expect(page.get_by_role("slider", name="As of")).to_be_attached()
    stances = page.locator(f"{LIST} details[open] li .stance")
    expect(stances.first).to_be_visible()
    assert stances.count() == 27  # Kazakhstan, every issue
    kazakhstan = page.locator(f"{LIST} details").first
    expect(kazakhstan.locator("li", has_text="Troops for Russia")).to_contain_text(
        "Refused (rep.) (+1)"
    )
    assert page.locator(f"{LIST} summary").all_text_contents()[:2] == ["Kazakhstan", "Kyrgyzstan"]
    texts = f"{LIST} summary, {LIST} li span.issue, {LIST} li span.stance, {LIST} li.category"
    assert page.evaluate(SMALLEST_TEXT_JS, texts) >= 12
    for row in stances.all()[:5]:
        box = row.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    page.locator(f"{LIST} summary", has_text="Kyrgyzstan").click()  # a tap opens a country
    kyrgyzstan = page.locator(f"{LIST} details").nth(1)
    expect(kyrgyzstan.locator("li", has_text="Anti-war protests")).to_be_visible()
    assert page.external_requests == []


def test_at_desktop_width_the_chart_shows_and_the_list_does_not(page, base_url):
    page.goto(base_url + "/")
    matrix_ready(page)
    expect(page.locator(".st-key-matrix .js-plotly-plot")).to_be_visible()
    expect(page.locator(".st-key-matrix_phone")).to_be_hidden()
