"""A cluster on loopback (tools.cluster: PostgreSQL, three Streamlit replicas, nginx) for the
whole tier, and Chromium contexts that reach it through nginx or one replica directly.

A context can be pinned to a replica through nginx by giving it the route cookie nginx itself
sets (`dashboard_route=r<i>`): nginx then sends its requests to that replica while it lives.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import watched
from tools import cluster as cluster_tool
from tools import nginx
from tools.browser import free_port

REPLICAS = 3


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/cluster" in str(item.fspath):
            item.add_marker(pytest.mark.cluster)


class Cluster:
    """A running cluster: its nginx URL, its replicas' own URLs, its folder."""

    def __init__(self, folder: Path, port: int, replica_ports: list[int]):
        self.folder, self.port, self.replica_ports = folder, port, replica_ports
        self.state = self.start()

    def start(self) -> dict:
        """Start whatever is down (a replica a test killed comes back on its port)."""
        return cluster_tool.start(
            self.folder, len(self.replica_ports), self.port, self.replica_ports, fast=True
        )

    @property
    def url(self) -> str:
        return self.state["url"]

    @property
    def replicas(self) -> list[str]:
        return self.state["replicas"]

    def access_log(self) -> list[str]:
        return (self.folder / "nginx" / "logs" / "access.log").read_text().splitlines()

    def served(self, request: str) -> list[str]:
        """The replica URLs that answered requests whose line starts with `request`
        (e.g. 'GET /_stcore/stream'), in order: the last address nginx tried."""
        found = []
        for line in self.access_log():
            m = re.search(r'"(\S+ \S+) HTTP/[\d.]+" (\d+) .* upstream=(.*) time=', line)
            if m and m[1].startswith(request):
                found.append("http://" + m[3].split(", ")[-1])
        return found


@pytest.fixture(scope="package")  # ended when this tier is done, not at the session's end
def cluster():
    # Not pytest's tmp_path: PostgreSQL runs as its own user, which must reach the folder.
    folder = Path(tempfile.mkdtemp(prefix="dashboard-cluster-"))
    folder.chmod(0o755)
    running = None
    try:
        running = Cluster(folder, free_port(), [free_port() for _ in range(REPLICAS)])
        yield running
    finally:
        cluster_tool.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="package")
def cluster_browser(browser):
    """The run's one Chromium (tests/chromium.py): a second Playwright would fail."""
    return browser


@pytest.fixture
def open_page(cluster_browser, cluster):
    """open_page(replica=None): a page in a fresh context; pinned through nginx to replica
    `replica` when given. Every request leaving for another host is recorded."""
    contexts: list[BrowserContext] = []

    def make(replica: int | None = None) -> Page:
        context = cluster_browser.new_context(viewport={"width": 1280, "height": 900})
        if replica is not None:
            context.add_cookies([{"name": nginx.ROUTE_COOKIE, "value": f"r{replica}",
                                  "url": cluster.url}])  # fmt: skip
        contexts.append(context)
        return watched(context.new_page())

    yield make
    for context in contexts:
        context.close()


def route_of(page: Page) -> str | None:
    """The replica nginx last routed this page's browser to ('r0', 'r1', …)."""
    cookies = page.context.cookies()
    return next((c["value"] for c in cookies if c["name"] == nginx.ROUTE_COOKIE), None)
