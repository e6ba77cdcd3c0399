"""The Map page in a real browser: shapes drawn from our own server, a click opens the evidence,
deep links restore the view, and nothing is fetched from another host (plotly.js asks for its
base map even with our GeoJSON: it must come from this server's static folder)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_idle

LABEL_CENTRE_JS = """
([iso]) => {
  const root = document.querySelector('.st-key-map .js-plotly-plot');
  const trace = root._fullData.find(t => t.name === 'select');
  const i = trace.customdata.findIndex(c => c[0] === iso);
  const points = root.querySelectorAll('.scattergeo .point');
  const box = points[i].getBoundingClientRect();
  return {x: box.left + box.width / 2, y: box.top + box.height / 2};
}
"""


def map_ready(page: Page) -> None:
    page.wait_for_selector(
        ".st-key-map .js-plotly-plot .choroplethlocation", state="attached", timeout=30_000
    )
    wait_idle(page)


def test_the_map_is_drawn_from_local_shapes_only(page, base_url):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base_url}/map")
    map_ready(page)
    assert page.locator(".st-key-map .choroplethlocation").count() == 11  # our states
    assert page.locator(".st-key-map .layer.land path").count() == 1  # the base map, from us
    assert page.locator(".st-key-map .scattergeo .point").count() == 11
    assert any(url.endswith("/app/static/world_110m.json") for url in requests)
    assert page.external_requests == []


def test_clicking_a_state_opens_its_evidence(page, base_url):
    page.goto(f"{base_url}/map?show=dpr_lpr_recognition&region=Central+Asia")
    map_ready(page)
    pos = page.evaluate(LABEL_CENTRE_JS, ["UZB"])
    page.mouse.move(pos["x"], pos["y"])
    page.wait_for_timeout(300)
    page.mouse.click(pos["x"], pos["y"])
    wait_idle(page)
    panel = page.locator(".st-key-evidence")
    expect(panel).to_contain_text("Evidence: Uzbekistan", timeout=15_000)
    assert "cell=UZB%3Adpr_lpr_recognition" in page.url or "cell=UZB:dpr" in page.url


def test_a_deep_link_restores_issue_date_and_framing(page, base_url):
    page.goto(f"{base_url}/map?show=unga_es11_1&as_of=2022-03-24&region=South+Caucasus")
    map_ready(page)
    title = page.locator(".st-key-map .gtitle").first
    expect(title).to_contain_text("UNGA ES-11/1 as of 24 Mar 2022")
    expect(page.get_by_role("radio", name="South Caucasus")).to_be_checked()
    table = page.locator("[data-testid=stTable]")
    expect(table).to_contain_text("Armenia")
    expect(table).to_contain_text("Abstain (0), 2 Mar 2022")
