"""Finding and clicking points of Plotly charts in a Streamlit page."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import wait_idle

CELL_POSITION_JS = """
([key, country, issue]) => {
  const root = document.querySelector(`.st-key-${key} .js-plotly-plot`)
      || [...document.querySelectorAll('.js-plotly-plot')][0];
  const trace = root._fullData.find(t => t.name === 'select');
  const i = trace.customdata.findIndex(c => c[0] === country && c[1] === issue);
  const L = root._fullLayout;
  const box = root.getBoundingClientRect();
  return {
    x: box.left + L._size.l + L.xaxis.l2p(trace.x[i]),
    y: box.top + L._size.t + L.yaxis.l2p(trace.y[i]),
  };
}
"""


def matrix_ready(page: Page) -> None:
    page.wait_for_selector(".st-key-matrix .yaxislayer-above .ytick text", timeout=30_000)
    wait_idle(page)


def click_cell(page: Page, country: str, issue: str, key: str = "matrix") -> None:
    """Hover onto a matrix cell, then click it, as plotly selects on hover-then-click."""
    pos = page.evaluate(CELL_POSITION_JS, [key, country, issue])
    height = page.viewport_size["height"]
    if not 40 < pos["y"] < height - 40:  # scroll the cell into sight first
        page.mouse.wheel(0, pos["y"] - height / 2)
        page.wait_for_timeout(300)
        pos = page.evaluate(CELL_POSITION_JS, [key, country, issue])
    page.mouse.move(pos["x"], pos["y"])
    page.wait_for_timeout(300)
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_timeout(300)
    wait_idle(page)


MATRIX_CELL_TEXT_JS = """
([country, issue]) => {
  const root = document.querySelector('.st-key-matrix .js-plotly-plot');
  const select = root._fullData.find(t => t.name === 'select');
  const heat = root._fullData.find(t => t.type === 'heatmap');
  const i = select.customdata.findIndex(c => c[0] === country && c[1] === issue);
  return heat.text[select.y[i]][select.x[i]];
}
"""


def matrix_cell_text(page: Page, country: str, issue: str) -> str:
    """The text drawn in one matrix cell."""
    return page.evaluate(MATRIX_CELL_TEXT_JS, [country, issue])


def chart_title(page: Page, key: str) -> str:
    """The title text of the Plotly chart with Streamlit key `key`."""
    return page.locator(f".st-key-{key} .js-plotly-plot .gtitle").text_content()
