"""One Playwright and one system Chromium for the whole test run (a pytest plugin).

Playwright's sync API allows one running instance per thread: the browser tier and the cluster
tier share this one, so that neither starts a second inside the other's event loop."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tools.browser import CHROMIUM_ARGS, NO_CHROMIUM, find_chromium


def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        pytest.fail(NO_CHROMIUM, pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()
