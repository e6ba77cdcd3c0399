"""The As of control drawn in the browser: the matrix redraws with no server round trip, Play
and Pause, and Python learns the date once the motion stops, in Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from core.analysis.query import change_dates, format_date
from core.ingest.package import load_bundled
from tests.browser.conftest import wait_idle
from tests.browser.helpers import chart_title, click_cell, matrix_ready

CHANGES = [d.date() for d in change_dates(load_bundled())]
TITLE = ".st-key-matrix .js-plotly-plot .gtitle"

WATCH_JS = """
() => {
  // every title the matrix shows, and every message the page sends to the server, timed
  window.__titles = [];
  window.__sent = [];
  const title = () => document.querySelector('.st-key-matrix .js-plotly-plot .gtitle');
  let last = title()?.textContent;
  new MutationObserver(() => {
    const now = title()?.textContent;
    if (now && now !== last) { last = now; window.__titles.push([performance.now(), now]); }
  }).observe(document.querySelector('.st-key-matrix'), {subtree: true, childList: true,
                                                       characterData: true});
}
"""


def day(value) -> str:
    return format_date(value, "day")


SEND_JS = """
// the time of every message the page sends to the server (a rerun is one)
window.__sent = [];
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (...args) {
  window.__sent.push(performance.now());
  return send.apply(this, args);
};
"""


def open_matrix(page: Page, base_url: str, query: str) -> None:
    """Open the matrix, then record its titles and the messages sent from now on."""
    page.add_init_script(SEND_JS)
    page.goto(f"{base_url}/?{query}")
    matrix_ready(page)
    page.evaluate(WATCH_JS)
    page.evaluate("window.__sent = []")


def sent(page: Page) -> list[float]:
    return page.evaluate("window.__sent")


def url_says(page: Page, value) -> None:
    expect(page).to_have_url(re.compile(rf"[?&]as_of={value.isoformat()}(&|$)"), timeout=20_000)
    wait_idle(page)


def titles(page: Page) -> list[tuple[float, str]]:
    return page.evaluate("window.__titles")


def test_keys_redraw_the_matrix_before_anything_is_sent_to_the_server(page, base_url):
    start = CHANGES.index(CHANGES[0].replace(month=3, day=4))
    open_matrix(page, base_url, f"countries=KGZ&as_of={CHANGES[start].isoformat()}")
    slider = page.get_by_role("slider", name="As of")
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.locator(TITLE)).to_have_text(re.compile(f"as of {day(CHANGES[start + 3])}$"))
    expect(slider).to_have_attribute("aria-valuetext", day(CHANGES[start + 3]))
    bars = page.locator(".st-key-alignment .js-plotly-plot .gtitle")  # follows the slider too
    expect(bars).to_have_text(re.compile(f"as of {day(CHANGES[start + 3])} "))
    url_says(page, CHANGES[start + 3])  # reported once the slider settled
    shown = titles(page)
    assert [t for _, t in shown][-1].endswith(day(CHANGES[start + 3]))
    messages = sent(page)
    assert len(shown) >= 3 and messages, (shown, messages)
    # each step was drawn before the first message left for the server: no round trip
    assert max(t for t, _ in shown[:3]) < min(messages)
    for key, expected in (("End", CHANGES[-1]), ("Home", CHANGES[0])):
        page.keyboard.press(key)
        expect(page.locator(TITLE)).to_have_text(re.compile(f"as of {day(expected)}$"))
        expect(slider).to_have_attribute("aria-valuetext", day(expected))
    url_says(page, CHANGES[0])
    assert page.external_requests == []


def test_the_mouse_moves_the_slider_by_click_and_by_drag(page, base_url):
    open_matrix(page, base_url, "countries=KGZ")
    slider = page.get_by_role("slider", name="As of")
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.click(box["x"] + 4, y)  # the track's start: the first date
    expect(page.locator(TITLE)).to_have_text(re.compile(f"as of {day(CHANGES[0])}$"))
    page.mouse.move(box["x"] + 4, y)
    page.mouse.down()
    for frac in (0.2, 0.35, 0.5):
        page.mouse.move(box["x"] + box["width"] * frac, y, steps=4)
    page.mouse.up()
    reached = int(slider.evaluate("el => Number(el.value)"))
    assert 0 < reached < len(CHANGES) - 1
    expect(page.locator(TITLE)).to_have_text(re.compile(f"as of {day(CHANGES[reached])}$"))
    assert len({t for _, t in titles(page)}) >= 3  # the drag drew dates on its way
    url_says(page, CHANGES[reached])
    assert sent(page)


def test_play_and_pause_by_button_and_by_key(page, base_url):
    open_matrix(page, base_url, f"countries=KGZ&as_of={CHANGES[0].isoformat()}")
    page.get_by_role("button", name="Play").click()
    pause = page.get_by_role("button", name="Pause")
    expect(pause).to_be_visible()
    expect(pause).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("window.__titles.length >= 4", timeout=20_000)
    pause.click()
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    stopped = page.get_by_role("slider", name="As of").get_attribute("aria-valuetext")
    expect(page.locator(".tt-date")).to_have_text(stopped)
    at = next(d for d in CHANGES if day(d) == stopped)
    url_says(page, at)  # Python has the date it paused at
    expect(page.locator(TITLE)).to_have_text(re.compile(f"as of {stopped}$"))
    page.locator("body").press("p")  # P plays again from where it paused
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.wait_for_function(f"window.__titles.length >= {len(titles(page)) + 2}")
    page.keyboard.press("p")
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    later = page.get_by_role("slider", name="As of").get_attribute("aria-valuetext")
    assert CHANGES.index(next(d for d in CHANGES if day(d) == later)) > CHANGES.index(at)


def test_play_stops_at_the_last_date_and_python_gets_it(page, base_url):
    open_matrix(page, base_url, f"countries=KGZ&as_of={CHANGES[-4].isoformat()}")
    page.get_by_label("Speed").select_option(label="Fastest (as fast as drawn)")
    page.get_by_role("button", name="Play").click()
    expect(page.locator(TITLE)).to_have_text(re.compile(f"as of {day(CHANGES[-1])}$"))
    expect(page.get_by_role("button", name="Play")).to_be_visible()  # stopped by itself
    expect(page).not_to_have_url(re.compile("as_of="), timeout=20_000)  # the latest: default
    assert [t for _, t in titles(page)] == [
        f"Positions on Russia's war in Ukraine as of {day(d)}" for d in CHANGES[-3:]
    ]


def test_the_evidence_and_the_link_follow_the_date_the_slider_stopped_at(page, base_url):
    protest = load_bundled().positions
    first = protest[(protest["country"] == "KGZ") & (protest["issue"] == "anti_war_protests")]
    first = first["date"].min().date()
    before = [d for d in CHANGES if d < first][-2:]  # two stops before its first observation
    open_matrix(page, base_url, f"countries=KGZ&as_of={before[0].isoformat()}")
    page.get_by_role("slider", name="As of").focus()
    page.keyboard.press("ArrowRight")
    url_says(page, before[1])
    click_cell(page, "KGZ", "anti_war_protests")
    panel = page.locator(".st-key-evidence")
    expect(panel).to_contain_text(f"as of {day(before[1])}", timeout=10_000)
    expect(panel).to_contain_text("after the as-of date")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Link to this view").click()
    expect(page.get_by_text(re.compile(f"as_of={before[1].isoformat()}"))).to_be_visible()


def test_a_deep_link_opens_at_its_date_with_plotly_js_from_the_app_itself(page, base_url):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base_url}/?countries=KGZ&as_of=2022-03-05")  # no change that day
    matrix_ready(page)
    assert chart_title(page, "matrix").endswith("as of 5 Mar 2022")
    slider = page.get_by_role("slider", name="As of")
    expect(slider).to_have_attribute("aria-valuetext", "5 Mar 2022")
    assert f"{base_url}/app/static/plotly.min.js" in requests
    assert page.external_requests == []


def test_a_story_step_with_play_from_plays_on_entry(page, base_url):
    page.goto(f"{base_url}/present?step=10")  # plays from 1 Jan 2023 to 31 Dec 2025
    title = page.locator(".st-key-present-chart .js-plotly-plot .gtitle")
    expect(title).to_have_text(re.compile(r"as of \d+ \w+ 2023$"), timeout=30_000)
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    first = title.text_content()
    expect(title).not_to_have_text(first, timeout=10_000)  # it moves by itself
    page.keyboard.press("p")
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    assert page.external_requests == []
