"""Draw a Plotly chart the same way everywhere: a source line under its title, a download
named after the view (PNG or SVG, as the user chose), and alt text."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import streamlit as st

from core.dataset import Dataset

IMAGE_FORMAT = "image_format"
IMAGE_FORMATS = ["png", "svg"]


def source_line(ds: Dataset) -> str:
    """'Source: author (publisher); …' for every source the observations cite."""
    used = ds.sources[ds.sources["id"].isin(set(ds.positions["source"]))]
    names = []
    for row in used.itertuples(index=False):
        name = f"{row.author} ({row.publisher})" if row.author != row.publisher else row.author
        if name not in names:
            names.append(name)
    return "Source: " + "; ".join(names) if names else ""


def chart_config(filename: str) -> dict:
    """Plotly config: no logo, and the toolbar's download named after the view."""
    image = st.session_state.get(IMAGE_FORMAT, "png")
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"filename": filename, "format": image, "scale": 2},
    }


def show_chart(
    fig: go.Figure, ds: Dataset, *, key: str, filename: str, alt: str, on_select=None,
    theme: str | None = "streamlit",
):  # fmt: skip
    """st.plotly_chart with the source under the title; clicks call `on_select` if given."""
    line = source_line(ds)
    if line and fig.layout.title.text:
        fig.update_layout(title_subtitle={"text": html.escape(line), "font": {"size": 11}})
    extra = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    return st.plotly_chart(
        fig, key=key, config=chart_config(filename), alt=alt, theme=theme, **extra
    )
