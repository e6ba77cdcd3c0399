"""What the benchmark does in the page: watch the matrix title, press keys, play, read the heap.

A script added before any page script watches the matrix title on every animation frame and
notes each new text with `performance.now()` (milliseconds since navigation), and notes the time
of every key press as the page receives it. Timings are therefore taken in the page, free of the
delay between Playwright and the browser. The title may sit in an open shadow root (a
`st.components.v2` component isolates its styles in one): the watcher looks inside those.
Reading the title once per animation frame, rather than with a MutationObserver, sees into
shadow roots and counts what reached the screen: several writes within one frame are one frame.
"""

from __future__ import annotations

import contextlib
import json
import time

from playwright.sync_api import CDPSession, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.stats import date_of
from tools.browser import IDLE

MATRIX_KEY = "matrix"
TITLE = ".js-plotly-plot .gtitle"
QUIET_SECONDS = 1.0  # no redraw for this long, server idle: the page has settled
TIMEOUT_MS = 60_000
STEP_TIMEOUT_MS = 20_000  # longer than the baseline's rerun at UN-wide size on a busy machine

WATCHER_JS = """
((KEY) => {
  if (window.__bench) return;
  const bench = window.__bench = {changes: [], keys: []};
  const find = (root) => {
    const hit = root.querySelector('%(title)s');
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { const h = find(el.shadowRoot); if (h) return h; }
    }
    return null;
  };
  let el = null, last = null;
  const tick = () => {
    if (!el || !el.isConnected) {
      el = null;
      const boxes = [...document.querySelectorAll('.st-key-' + KEY)].reverse();
      for (const box of boxes) { el = find(box); if (el) break; }
    }
    const text = el ? el.textContent : null;
    if (text && text !== last) bench.changes.push({t: performance.now(), text});
    last = text;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  addEventListener('keydown', () => bench.keys.push(performance.now()), true);
})(%(key)s);
"""


def open_page(browser, url: str, key: str = MATRIX_KEY) -> Page:
    """A new page at 1920x1080 watching the chart with Streamlit key `key`, navigated to `url`."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.add_init_script(WATCHER_JS % {"title": TITLE, "key": json.dumps(key)})
    page.goto(url)
    return page


def changes(page: Page, start: int = 0) -> list[dict]:
    """The title's texts and when they were drawn (ms since navigation), from the `start`-th."""
    return page.evaluate("(n) => window.__bench.changes.slice(n)", start)


def first_draw(page: Page) -> float:
    """Seconds from navigation to the matrix drawn with its title's date."""
    page.wait_for_function(
        "() => window.__bench.changes.some(c => c.text.includes('as of '))", timeout=TIMEOUT_MS
    )
    drawn = next(c for c in changes(page) if date_of(c["text"]))
    return round(drawn["t"] / 1000, 4)


def settle(page: Page) -> None:
    """Wait until the server is idle and the matrix has not been redrawn for a while (a
    component reports its date after the motion stops, which reruns the page)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        seen = len(changes(page))
        page.wait_for_timeout(QUIET_SECONDS * 1000)
        if len(changes(page)) == seen and page.locator(IDLE).count():
            return
    raise TimeoutError("the page did not settle")


def slider(page: Page):
    """The matrix's 'As of' (the first: other controls of the page may follow it)."""
    return page.get_by_role("slider", name="As of").first


def press(page: Page, key: str) -> float:
    """Seconds from one key press on 'As of' to the matrix title showing another date."""
    old = date_of(changes(page)[-1]["text"])
    slider(page).focus()
    seen = len(changes(page))
    keys = page.evaluate("() => window.__bench.keys.length")
    page.keyboard.press(key)
    page.wait_for_function(
        "([n, old]) => window.__bench.changes.slice(n).some("
        "c => c.text.includes('as of ') && !c.text.endsWith('as of ' + old))",
        arg=[seen, old],
        timeout=TIMEOUT_MS,
    )
    drawn = next(c for c in changes(page, seen) if date_of(c["text"]) not in (None, old))
    pressed = page.evaluate("(k) => window.__bench.keys[k]", keys)
    return round((drawn["t"] - pressed) / 1000, 4)


def play_button(page: Page):
    return page.get_by_role("button", name="Play", exact=True).first


def pause_button(page: Page):
    return page.get_by_role("button", name="Pause", exact=True).first


def has_play(page: Page) -> bool:
    return play_button(page).count() > 0


def fastest_speed(page: Page) -> str | None:
    """Choose Play's fastest speed ("Fastest…", else the last option of "Speed"), as the goal is
    the frame rate the page can draw; the speed chosen, or None when there is no choice."""
    speed = page.get_by_role("combobox", name="Speed")
    if not speed.count():
        return None
    labels = [label.strip() for label in speed.first.locator("option").all_text_contents()]
    label = next((x for x in labels if x.startswith("Fastest")), labels[-1])
    speed.first.select_option(label=label)
    return label


def to_start(page: Page) -> None:
    """Move 'As of' to its first date (Home) and wait for the page to settle."""
    before = date_of(changes(page)[-1]["text"])
    slider(page).focus()
    page.keyboard.press("Home")
    with contextlib.suppress(PlaywrightTimeout):  # nothing changes when it is there already
        page.wait_for_function(
            "(old) => !window.__bench.changes.at(-1).text.endsWith('as of ' + old)",
            arg=before,
            timeout=STEP_TIMEOUT_MS,
        )
    settle(page)


def play(page: Page, seconds: float, restart: bool = True) -> list[dict]:
    """Play (with the Play button, or when there is none by pressing ArrowRight on 'As of' as
    soon as each date is drawn) for `seconds`; the title changes seen meanwhile. At the last
    date, Play starts again from the first when `restart`."""
    seen = len(changes(page))
    end = time.monotonic() + seconds
    if has_play(page):
        play_button(page).click()
        while time.monotonic() < end:
            page.wait_for_timeout(min(500, max(1, (end - time.monotonic()) * 1000)))
            if restart and play_button(page).count() and time.monotonic() < end:
                to_start(page)  # it stopped at the last date
                play_button(page).click()
        if pause_button(page).count():
            pause_button(page).click()
    else:
        slider(page).focus()
        while time.monotonic() < end:
            n = len(changes(page))
            page.keyboard.press("ArrowRight")
            try:
                page.wait_for_function(
                    "(n) => window.__bench.changes.length > n", arg=n, timeout=STEP_TIMEOUT_MS
                )
            except PlaywrightTimeout:  # at the last date nothing changes
                if not restart:
                    break
                to_start(page)
                slider(page).focus()
    return changes(page, seen)


def heap_bytes(cdp: CDPSession) -> float:
    """The page's used JavaScript heap after a forced garbage collection."""
    cdp.send("HeapProfiler.collectGarbage")
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "JSHeapUsedSize")


def memory_while_playing(page: Page, seconds: float, every: float) -> list[tuple[float, float]]:
    """(seconds since Play started, heap bytes after GC) at the start, then after every `every`
    s of playing, each read paused once the page has settled."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    samples = [(0.0, heap_bytes(cdp))]
    start = time.monotonic()
    while (elapsed := time.monotonic() - start) < seconds - 0.5:
        play(page, min(every, seconds - elapsed))
        settle(page)  # pausing sends the date to Python: read the heap after that rerun
        samples.append((round(time.monotonic() - start, 1), heap_bytes(cdp)))
    cdp.detach()
    return samples
