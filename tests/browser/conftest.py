"""A real `streamlit run` server and a system Chromium driven by Playwright.

Browser tests are never skipped: without a Chromium they fail and say how to get one.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from core.settings import PACKAGE_DIR
from tools.browser import IDLE, free_port, server_log, start_server, stop_server

LOCAL_PREFIXES = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def base_url():
    """The app's server for the whole tier. At the end its log must hold nothing but its start
    banner: a warning logged per run (Streamlit's deprecation notices did) is a leak, a
    traceback is a bug, and either once filled an unread pipe and froze the server."""
    port = free_port()
    proc = start_server(PACKAGE_DIR / "app.py", port)
    yield f"http://127.0.0.1:{port}"
    log = server_log(proc)
    stop_server(proc)
    noise = [line for line in log.splitlines() if line.strip() and not BANNER.search(line)]
    assert not noise, "the server logged:\n" + "\n".join(noise[:40])


BANNER = re.compile(r"Uvicorn server started on|You can now view your Streamlit app|URL: http")


@pytest.fixture
def page(browser) -> Page:
    """A fresh browser context at 1280x900 that records every request leaving for another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield watched(context.new_page())
    context.close()


def watched(page: Page) -> Page:
    """`page`, recording in `page.external_requests` every request that leaves for another
    host than this machine (none may)."""
    page.external_requests = []
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith(LOCAL_PREFIXES) else page.external_requests.append(r.url)
        ),
    )
    return page


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Wait until the script has finished and nothing is still loading."""
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_function("!document.querySelector('[data-testid=stSkeleton]')", timeout=timeout)
