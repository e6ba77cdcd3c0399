"""Presenter mode in a real browser: keys, deep links, fit on screen, rooms, no external calls."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LOCAL_PREFIXES, wait_idle

PROGRESS = ".st-key-step-progress"


def progress(page: Page) -> str:
    return page.locator(PROGRESS).inner_text().strip()


def open_step(page: Page, base_url: str, step: int) -> None:
    page.goto(f"{base_url}/present?step={step}")
    page.wait_for_selector(".st-key-present-chart .main-svg")
    wait_idle(page)


def press_and_expect(page: Page, key: str, expected: str) -> None:
    page.keyboard.press(key)
    expect(page.locator(PROGRESS)).to_have_text(expected, timeout=10_000)
    wait_idle(page)


def test_step_link_opens_that_step(page, base_url):
    open_step(page, base_url, 3)
    assert progress(page) == "3 / 11"
    expect(page.locator(".st-key-step-title")).to_contain_text("Kazakhstan")
    assert page.external_requests == []


def test_keyboard_and_clicker_keys_move_steps(page, base_url):
    open_step(page, base_url, 3)
    press_and_expect(page, "ArrowRight", "4 / 11")
    press_and_expect(page, "PageDown", "5 / 11")
    press_and_expect(page, "Space", "6 / 11")
    press_and_expect(page, "ArrowLeft", "5 / 11")
    press_and_expect(page, "PageUp", "4 / 11")
    press_and_expect(page, "End", "11 / 11")
    press_and_expect(page, "Home", "1 / 11")
    press_and_expect(page, "7", "7 / 11")
    assert "step=7" in page.url
    assert page.external_requests == []


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("step", [1, 3, 4, 9])
def test_each_step_fits_the_screen(browser, base_url, size, step):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    open_step(page, base_url, step)
    for selector in (".st-key-step-title", ".st-key-present-chart", ".st-key-narration"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["x"] >= 0 and box["y"] >= 0, selector
        assert box["x"] + box["width"] <= width + 1, selector
        assert box["y"] + box["height"] <= height + 1, (selector, box)
    size_px = page.locator(".st-key-narration p").first.evaluate(
        "p => parseFloat(getComputedStyle(p).fontSize)"
    )
    assert size_px >= 24
    context.close()


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.external_requests = []
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith(LOCAL_PREFIXES) else page.external_requests.append(r.url)
        ),
    )
    return page


def start_room(browser, base_url, step):
    presenter = new_page(browser)
    open_step(presenter, base_url, step)
    presenter.get_by_text("Present to a room").click()
    presenter.get_by_role("button", name="Start a room").click()
    presenter.wait_for_selector(".st-key-notes")
    wait_idle(presenter)
    code = parse_qs(urlparse(presenter.url).query)["room"][0]
    return presenter, code


def test_audience_follows_its_presenter_and_only_its_room(browser, base_url):
    presenter, code = start_room(browser, base_url, 2)
    other_presenter, other_code = start_room(browser, base_url, 6)
    assert code != other_code
    audience, other_audience = new_page(browser), new_page(browser)
    audience.goto(f"{base_url}/present?room={code}")
    other_audience.goto(f"{base_url}/present?room={other_code}")
    expect(audience.locator(PROGRESS)).to_have_text("2 / 11", timeout=15_000)
    expect(other_audience.locator(PROGRESS)).to_have_text("6 / 11", timeout=15_000)
    assert audience.locator(".st-key-present-next").count() == 0

    audience.evaluate("() => { window.__sameDocument = true; }")
    presenter.keyboard.press("ArrowRight")
    expect(presenter.locator(PROGRESS)).to_have_text("3 / 11", timeout=10_000)
    moved = time.monotonic()
    expect(audience.locator(PROGRESS)).to_have_text("3 / 11", timeout=2_000)
    assert time.monotonic() - moved < 2.0
    other_audience.wait_for_timeout(1500)
    assert progress(other_audience) == "6 / 11"
    assert audience.evaluate("() => window.__sameDocument === true")  # followed without a reload
    for p in (presenter, other_presenter, audience, other_audience):
        assert p.external_requests == []
        p.context.close()
