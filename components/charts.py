"""Draw a Plotly chart the same way everywhere: a source line under its title, a download
named after the view (PNG or SVG, as the user chose), and alt text."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.dataset import Dataset

IMAGE_FORMAT = "image_format"
IMAGE_FORMATS = ["png", "svg"]


SOURCES_NAMED = 3
"""A source line names at most this many sources; past that it names the two most cited."""


def source_line(ds: Dataset) -> str:
    """'Source: author (publisher); …' for the sources the observations cite, most cited first;
    past SOURCES_NAMED of them, the publishers of the two most cited and how many more."""
    cited = pd.concat([ds.positions["source"], ds.observation_sources["source"]])
    sources = ds.sources.set_index("id")
    counts: dict[str, int] = {}
    publishers: dict[str, str] = {}
    for source_id, n in cited.value_counts().items():
        if source_id not in sources.index:
            continue
        row = sources.loc[source_id]
        name = f"{row.author} ({row.publisher})" if row.author != row.publisher else row.author
        counts[name] = counts.get(name, 0) + int(n)
        publishers[name] = row.publisher
    names = sorted(counts, key=lambda k: -counts[k])
    if not names:
        return ""
    if len(names) <= SOURCES_NAMED:
        return "Source: " + "; ".join(names)
    return (
        f"Sources: {publishers[names[0]]}; {publishers[names[1]]}; and {len(names) - 2} more, "
        "each cited in its cell's evidence"
    )


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
