"""Audience screens never stop following: a presenter steps a room 30 times in quick bursts, and
each of three audience screens shows every burst's final step within 2 s of its key press,
without a reload, and still follows after the room has stood still."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.browser.conftest import wait_idle
from tests.browser.test_present_browser import PROGRESS, new_page, start_room

FOLLOW_SECONDS = 2.0
BURSTS = [(1, 3)] * 3 + [(-1, 3)] * 3 + [(1, 3)] * 3 + [(-1, 3)]
"""(direction, moves): 30 moves, 3 at a time: 1 to 10, back to 1, to 10 again, back to 7."""
RECORDER = """() => {
  window.__sameDocument = true;
  window.__seen = [];
  const read = () => document.querySelector('.st-key-step-progress')?.innerText.trim() || '';
  let last = null;
  setInterval(() => {
    const now = read();
    if (now !== last) { last = now; window.__seen.push([Date.now(), now]); }
  }, 20);
}"""


def shown_at(page, text: str, since_ms: float) -> float | None:
    """When (ms since the epoch) the page first showed `text` at or after `since_ms`."""
    seen = page.evaluate("() => window.__seen")
    return next((t for t, shown in seen if shown == text and t >= since_ms), None)


def test_three_screens_follow_thirty_quick_steps_and_never_stop(browser, base_url):
    presenter, code = start_room(browser, base_url, 1)
    audiences = [new_page(browser) for _ in range(3)]
    for audience in audiences:
        audience.goto(f"{base_url}/present?room={code}")
        expect(audience.locator(PROGRESS)).to_have_text("1 / 11", timeout=20_000)
        audience.evaluate(RECORDER)
    step, moves, latencies = 1, 0, []
    for direction, count in BURSTS:
        for _ in range(count):
            step += direction
            presenter.keyboard.press("ArrowRight" if direction > 0 else "ArrowLeft")
            pressed = time.time() * 1000
            expect(presenter.locator(PROGRESS)).to_have_text(f"{step} / 11", timeout=10_000)
            wait_idle(presenter)  # the presenter's keys are bound again: the next press counts
            moves += 1
        final = f"{step} / 11"
        for audience in audiences:
            expect(audience.locator(PROGRESS)).to_have_text(final, timeout=10_000)
            when = shown_at(audience, final, pressed)
            assert when is not None, (final, audience.evaluate("() => window.__seen"))
            latencies.append((when - pressed) / 1000)
    assert moves == 30 and step == 7
    late = [round(s, 2) for s in latencies if s > FOLLOW_SECONDS]
    assert late == [], (late, sorted(latencies))

    presenter.wait_for_timeout(4_000)  # the room stands still: the screens keep reading
    presenter.keyboard.press("ArrowRight")
    pressed = time.time() * 1000
    for audience in audiences:
        expect(audience.locator(PROGRESS)).to_have_text("8 / 11", timeout=10_000)
        assert (shown_at(audience, "8 / 11", pressed) - pressed) / 1000 <= FOLLOW_SECONDS
        assert audience.evaluate("() => window.__sameDocument === true")  # never reloaded
    median = sorted(latencies)[len(latencies) // 2]
    print(f"follow over {len(latencies)} bursts x screens: max {max(latencies):.2f} s, "
          f"median {median:.2f} s")  # fmt: skip
    for p in (presenter, *audiences):
        assert p.external_requests == []
        p.context.close()
