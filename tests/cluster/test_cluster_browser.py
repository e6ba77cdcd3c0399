"""Replicas behind nginx in a real browser: sticky sessions, uploads through nginx, a dataset
and a room shared through PostgreSQL, and a user moved to another replica when theirs dies."""

from __future__ import annotations

import os
import signal
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_idle
from tests.browser.helpers import matrix_ready
from tests.cluster.conftest import route_of
from tools import cluster as cluster_tool
from tools import nginx

WIDE = (
    "country,as_of,UNGA ES-11/1,dpr_lpr_recognition\n"
    "Kyrgyz Republic,2022-03-02,abstain,\n"
    "Türkiye,2022-03-02,yes,refuses\n"
    "BOLIVIA (PLURINATIONAL STATE OF),2022-03-02,no,\n"
)
IMPORTED = {"Türkiye", "Bolivia"}  # countries only the imported dataset has


def matrix_rows(page: Page) -> set[str]:
    return set(page.locator(".st-key-matrix .yaxislayer-above .ytick text").all_text_contents())


@pytest.fixture(scope="module")
def imported(cluster, cluster_browser, tmp_path_factory) -> str:
    """The id of a dataset imported through nginx by a browser pinned to replica 0."""
    context = cluster_browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": nginx.ROUTE_COOKIE, "value": "r0", "url": cluster.url}])
    page = context.new_page()
    page.goto(f"{cluster.url}/data")
    wait_idle(page)
    path = tmp_path_factory.mktemp("upload") / "wide.csv"
    path.write_text(WIDE, encoding="utf-8")
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(path)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported wide.csv")).to_be_visible(timeout=30_000)
    assert route_of(page) == "r0"
    data_id = parse_qs(urlparse(page.url).query)["data"][0]
    context.close()
    return data_id


def test_an_upload_through_nginx_stays_on_its_replica_and_passes_xsrf(cluster, imported):
    """The upload (a PUT checked against the XSRF cookie) and the websocket of the importing
    browser were both served by its replica: the import above would have failed otherwise."""
    assert set(cluster.served("PUT /_stcore/upload_file")) == {cluster.replicas[0]}
    # nginx logs a websocket when it closes: the importer's closed with its context
    deadline = time.monotonic() + 10
    while not cluster.served("GET /_stcore/stream") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert set(cluster.served("GET /_stcore/stream")) == {cluster.replicas[0]}


def test_nginx_refuses_a_body_above_the_upload_limit(cluster):
    too_big = (nginx.upload_limit_mb() + nginx.MULTIPART_MARGIN_MB) * 2**20 + 1
    request = urllib.request.Request(
        f"{cluster.url}/_stcore/upload_file/x/y",
        method="PUT",
        headers={"Content-Length": str(too_big)},
        data=b"",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 413


def test_health_and_metrics_answer_through_nginx(cluster):
    with urllib.request.urlopen(f"{cluster.url}/_stcore/health", timeout=10) as r:
        assert r.read() == b"ok"
    with urllib.request.urlopen(f"{cluster.url}/_stcore/metrics", timeout=10) as r:
        assert "active_sessions" in r.read().decode()


def test_a_dataset_imported_on_one_replica_opens_by_its_link_on_another(
    cluster, imported, open_page
):
    import psycopg

    with psycopg.connect(cluster.state["database_url"]) as conn:
        stored = conn.execute("SELECT count(*) FROM datasets WHERE id = %s", [imported])
        assert stored.fetchone()[0] == 1  # in PostgreSQL: each replica has its own disk folder
    direct = open_page()
    direct.goto(f"{cluster.replicas[1]}/?data={imported}")  # replica 1 itself, no nginx
    matrix_ready(direct)
    assert matrix_rows(direct) >= IMPORTED
    through_nginx = open_page(replica=2)
    through_nginx.goto(f"{cluster.url}/?data={imported}")
    matrix_ready(through_nginx)
    assert matrix_rows(through_nginx) >= IMPORTED
    assert route_of(through_nginx) == "r2"
    assert direct.external_requests == through_nginx.external_requests == []


PROGRESS = ".st-key-step-progress"


def test_a_presenter_on_one_replica_steers_an_audience_on_another(cluster, open_page):
    """The room lives in PostgreSQL: audiences on two other replicas (one through nginx, one
    at the replica's own address) follow the presenter's steps."""
    presenter = open_page(replica=0)
    presenter.goto(f"{cluster.url}/present?step=2")
    presenter.wait_for_selector(".st-key-present-chart .main-svg", timeout=30_000)
    wait_idle(presenter)
    presenter.get_by_text("Present to a room").click()
    presenter.get_by_role("button", name="Start a room").click()
    presenter.wait_for_selector(".st-key-notes")
    wait_idle(presenter)
    code = parse_qs(urlparse(presenter.url).query)["room"][0]
    audience = open_page(replica=1)
    audience.goto(f"{cluster.url}/present?room={code}")
    direct = open_page()
    direct.goto(f"{cluster.replicas[2]}/present?room={code}")
    for screen in (audience, direct):
        expect(screen.locator(PROGRESS)).to_have_text("2 / 11", timeout=30_000)
    for expected in ("3 / 11", "4 / 11"):
        presenter.keyboard.press("ArrowRight")
        expect(presenter.locator(PROGRESS)).to_have_text(expected, timeout=20_000)
        for screen in (audience, direct):  # how fast is bench/load's to measure, not this test's
            expect(screen.locator(PROGRESS)).to_have_text(expected, timeout=20_000)
    assert [route_of(presenter), route_of(audience)] == ["r0", "r1"]
    assert presenter.external_requests == audience.external_requests == direct.external_requests
    assert direct.external_requests == []


RECORD_STATES = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__states = [];
  new MutationObserver(() => window.__states.push(
    app.dataset.testConnectionState + ':' + app.dataset.testScriptState
  )).observe(app, {attributes: true});
}"""
RECONNECTED = """() => {
  const s = window.__states, lost = s.findIndex(x => x.startsWith('PINGING_SERVER'));
  return lost >= 0 && s[s.length - 1].startsWith('CONNECTED:');
}"""
RERUN_SINCE_RECONNECT = """() => {
  const s = window.__states, lost = s.findIndex(x => x.startsWith('PINGING_SERVER'));
  return s.slice(lost).includes('CONNECTED:running');
}"""


def test_a_user_whose_replica_dies_carries_on_on_another(cluster, imported, open_page):
    """Killed replica: the page loses its websocket and reconnects through nginx to another
    replica. The page stays as it was (Streamlit does not rerun on a reconnect), and the next
    action runs there: the same view (from the URL and the widgets) of the same data (from
    PostgreSQL). A reload lands there too."""
    page = open_page()
    view = f"/?data={imported}&countries=TUR&countries=KGZ&as_of=2022-03-02"
    page.goto(cluster.url + view)
    matrix_ready(page)
    before = matrix_rows(page)
    assert "Türkiye" in before
    route = route_of(page)
    page.evaluate(RECORD_STATES)
    try:
        os.kill(cluster_tool.replica_pid(cluster.folder, int(route[1:])), signal.SIGKILL)
        page.wait_for_function(RECONNECTED, timeout=60_000)
        moved = route_of(page)
        assert moved not in (route, None)
        page.get_by_role("button", name="Sort and weights").click()
        page.get_by_text("Name", exact=True).click()  # sort by name: a rerun, on the new replica
        page.wait_for_function(RERUN_SINCE_RECONNECT, timeout=30_000)
        wait_idle(page)
        matrix_ready(page)
        assert matrix_rows(page) == before
        query = parse_qs(urlparse(page.url).query)
        assert query["data"] == [imported] and query["sort"] == ["Name"], page.url
        page.reload()
        matrix_ready(page)
        assert matrix_rows(page) == before
        assert route_of(page) == moved
        assert page.external_requests == []
    finally:
        cluster.start()  # the killed replica back on its port, for the tests after this one
