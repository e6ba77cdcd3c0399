"""Draw a Plotly chart the same way everywhere: a source line under its title, a download
named after the view (PNG or SVG, as the user chose), and alt text."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.model.dataset import Dataset
from core.model.provenance import source_line

IMAGE_FORMAT = "image_format"
IMAGE_FORMATS = ["png", "svg"]
TOPOJSON_URL = "/app/static/"
"""Where a map's base shapes are fetched from: this server's static folder, never a CDN (plotly.js
fetches them even when a choropleth brings its own GeoJSON; plotly.js issue #6767)."""


def chart_config(filename: str) -> dict:
    """Plotly config: no logo, and the toolbar's download named after the view."""
    image = st.session_state.get(IMAGE_FORMAT, "png")
    return {
        "displaylogo": False,
        "topojsonURL": TOPOJSON_URL,
        "toImageButtonOptions": {"filename": filename, "format": image, "scale": 2},
    }


def show_chart(
    fig: go.Figure, ds: Dataset, *, key: str, filename: str, alt: str, on_select=None,
    theme: str | None = "streamlit", shown: pd.DataFrame | None = None,
):  # fmt: skip
    """st.plotly_chart with the source under the title (of the observations `shown`, or of the
    whole dataset); clicks call `on_select` if given."""
    line = source_line(ds, shown)
    if line and fig.layout.title.text:
        fig.update_layout(title_subtitle={"text": html.escape(line), "font": {"size": 11}})
    extra = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    return st.plotly_chart(
        fig, key=key, config=chart_config(filename), alt=alt, theme=theme, **extra
    )
