"""Draw a Plotly chart the same way everywhere: a source line under its title, PNG and SVG
download buttons right beside it, alt text, and a print stylesheet that fits it on a page."""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.model.dataset import Dataset
from core.settings import VIEW_CACHE_ENTRIES, VIEW_CACHE_TTL_SECONDS
from figures.options import MIN_TEXT_SIZE
from ui.state import cached_source_line

IMAGE_FORMAT = "image_format"
IMAGE_FORMATS = ["png", "svg"]
IMAGE_WORDS = {"png": "PNG image", "svg": "SVG image (scalable)"}
TOPOJSON_URL = "/app/static/"
"""Where a map's base shapes are fetched from: this server's static folder, never a CDN (plotly.js
fetches them even when a choropleth brings its own GeoJSON; plotly.js issue #6767)."""
PRINT_AREA_PX = (1062, 733)
"""A4 landscape less the 8 mm print margins, in CSS pixels (96 per inch): a chart is scaled
down to fit it when printed."""
IMAGE_SCRIPT = """<script>(() => {
const [W, H] = __AREA__;
const fit = () => document.querySelectorAll(".stPlotlyChart").forEach((c) => {
  const size = c.querySelector(".js-plotly-plot")?._fullLayout;
  if (!size || matchMedia("print").matches) return;
  const frame = c.closest("[data-testid=stElementContainer]") || c;
  frame.style.setProperty("--print-zoom", String(Math.min(1, W / size.width, H / size.height)));
  frame.style.setProperty("--print-width", `${size.width}px`);
});
let queued = false;
const later = () => {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => { queued = false; fit(); });
};
later();
if (window.__chartFit) return;
window.__chartFit = new MutationObserver(later);
window.__chartFit.observe(document.body, {childList: true, subtree: true});
window.addEventListener("beforeprint", fit);
document.addEventListener("click", (event) => {
  const b = event.target.closest("button[data-chart-key]");
  if (!b) return;
  const key = CSS.escape(b.dataset.chartKey);
  const gd = document.querySelector(`.st-key-${key} .js-plotly-plot`);
  if (gd && window.Plotly) {
    const options = gd._context.toImageButtonOptions;
    window.Plotly.downloadImage(gd, {...options, format: b.dataset.format});
  }
});
})();</script>""".replace("__AREA__", json.dumps(PRINT_AREA_PX))
"""Beside each chart: its PNG and SVG buttons ask plotly.js for that format (with the toolbar's
file name and scale). Each chart's print scale is kept up to date as charts are drawn, from
plotly.js's own layout size; printed, a chart keeps its screen width (so plotly.js does not
redraw it) and is zoomed to fit the page. Printing itself runs no script."""
PRINT_CSS = """<style>@media print {
  @page { size: A4 landscape; margin: 8mm; }
  header, nav, [data-testid=stSidebar], [data-testid=stToolbar], [data-testid=stDecoration],
  [data-testid=stPopover], [data-testid=stDownloadButton], [data-testid=stButton],
  [data-testid=stElementToolbar], .modebar-container, .chart-images,
  [data-testid=stExpander], [data-testid=stSlider] { display: none !important; }
  [data-testid=stMainBlockContainer] { padding: 0 !important; max-width: none !important; }
  [data-testid=stElementContainer]:has(.stPlotlyChart) { zoom: var(--print-zoom, 1);
    width: var(--print-width, auto) !important; break-inside: avoid; }
}</style>"""


def chart_config(filename: str) -> dict:
    """Plotly config: no logo, and the toolbar's download named after the view."""
    image = st.session_state.get(IMAGE_FORMAT, "png")
    return {
        "displaylogo": False,
        "topojsonURL": TOPOJSON_URL,
        "toImageButtonOptions": {"filename": filename, "format": image, "scale": 2},
    }


def image_buttons_html(key: str, title: str) -> str:
    """The PNG and SVG buttons of the chart with Streamlit key `key` (real buttons, so a
    keyboard reaches them), and the script they share."""
    name = html.escape(title or "the chart", quote=True)
    buttons = "".join(
        f'<button type="button" data-chart-key="{html.escape(key, quote=True)}" '
        f'data-format="{fmt}" aria-label="Download {name} as a {words}">'
        f"⤓ {fmt.upper()}</button>"
        for fmt, words in IMAGE_WORDS.items()
    )
    style = (
        "<style>.chart-images{display:flex;gap:.5rem;justify-content:flex-end;margin-top:-.5rem}"
        ".chart-images button{font:inherit;font-size:.8rem;padding:.15rem .6rem;cursor:pointer;"
        "border:1px solid #8a8d98;border-radius:.4rem;background:transparent;color:inherit}"
        ".chart-images button:focus-visible{outline:3px solid #1c63d5;outline-offset:2px}</style>"
    )
    group = f'<div class="chart-images" role="group" aria-label="Download {name}">{buttons}</div>'
    return style + group + IMAGE_SCRIPT


def print_style() -> None:
    """The print stylesheet: no navigation, popovers or buttons; each chart scaled to fit an
    A4 landscape page and never split across two."""
    st.html(PRINT_CSS)


def cached_figure(build: Callable[..., go.Figure], frame: pd.DataFrame, **options) -> go.Figure:
    """`build(frame, **options)` (a pure builder of figures/), built once per builder, frame
    content and options and shared by every session that asks for the same: read-only.
    show_chart adds its source line to a copy it caches too, so a rerun that changes nothing
    builds nothing."""
    name = f"{build.__module__}.{build.__qualname__}"
    return _shared_figure(name, frame, options, build)


@st.cache_resource(max_entries=VIEW_CACHE_ENTRIES, ttl=VIEW_CACHE_TTL_SECONDS, show_spinner=False)
def _shared_figure(name: str, frame: pd.DataFrame, options: dict, _build) -> go.Figure:
    fig = _build(frame, **options)
    fig._shared_key = f"{name}:{next(_SERIAL)}"  # names it for the copy with its source line
    return fig


_SERIAL = itertools.count()


@st.cache_resource(max_entries=VIEW_CACHE_ENTRIES, ttl=VIEW_CACHE_TTL_SECONDS, show_spinner=False)
def _with_source(key: str, line: str, _fig: go.Figure) -> go.Figure:
    fig = go.Figure(_fig)
    _add_source(fig, line)
    fig._shared_copy = True  # shared read-only too: what is derived from it may be kept on it
    return fig


def _add_source(fig: go.Figure, line: str) -> None:
    if line and fig.layout.title.text:
        fig.update_layout(
            title_subtitle={"text": html.escape(line), "font": {"size": MIN_TEXT_SIZE}}
        )


def sourced(fig: go.Figure, ds: Dataset, shown: pd.DataFrame | None = None) -> go.Figure:
    """`fig` with the sources of the observations `shown` (or of the whole dataset) under its
    title. A figure from cached_figure is never changed: its copy with the line is cached and
    shared too; any other figure gets the line in place."""
    line = cached_source_line(ds.fingerprint, shown, ds)
    shared = getattr(fig, "_shared_key", None)
    if shared:
        return _with_source(shared, line, fig)
    _add_source(fig, line)
    return fig


def show_chart(
    fig: go.Figure, ds: Dataset, *, key: str, filename: str, alt: str, on_select=None,
    theme: str | None = "streamlit", shown: pd.DataFrame | None = None,
):  # fmt: skip
    """st.plotly_chart with the source under the title (of the observations `shown`, or of the
    whole dataset) and PNG/SVG buttons beside it; clicks call `on_select` if given."""
    fig = sourced(fig, ds, shown)
    extra = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    event = st.plotly_chart(
        fig, key=key, config=chart_config(filename), alt=alt, theme=theme, **extra
    )
    st.html(image_buttons_html(key, fig.layout.title.text or ""), unsafe_allow_javascript=True)
    return event
