"""Draw a Plotly chart the same way everywhere: a source line under its title, a download
named after the view (PNG or SVG, as the user chose), and alt text."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.model.dataset import Dataset

IMAGE_FORMAT = "image_format"
IMAGE_FORMATS = ["png", "svg"]
TOPOJSON_URL = "/app/static/"
"""Where a map's base shapes are fetched from: this server's static folder, never a CDN (plotly.js
fetches them even when a choropleth brings its own GeoJSON; plotly.js issue #6767)."""


SOURCES_NAMED = 3
"""A source line names at most this many sources; past that it names the two most cited."""


def source_line(ds: Dataset, shown: pd.DataFrame | None = None) -> str:
    """'Source: author (publisher); …' for the sources cited by the observations `shown` (rows
    with country, issue, date and source; all the dataset's by default), most cited first. Past
    SOURCES_NAMED of them: the two most cited publishers and how many more publishers."""
    rows = ds.positions if shown is None else shown.dropna(subset=["source"])
    further = ds.observation_sources
    if shown is not None:
        further = further.merge(rows[["country", "issue", "date"]], on=["country", "issue", "date"])
    cited = pd.concat([rows["source"], further["source"]]).value_counts().rename("n")
    used = ds.sources.set_index("id").join(cited, how="inner")
    if used.empty:
        return ""
    used["name"] = used["author"].where(
        used["author"] == used["publisher"], used["author"] + " (" + used["publisher"] + ")"
    )
    names = used.groupby("name")["n"].sum().sort_values(ascending=False, kind="stable")
    if len(names) <= SOURCES_NAMED:
        return "Source: " + "; ".join(names.index)
    publishers = used.groupby("publisher")["n"].sum().sort_values(ascending=False, kind="stable")
    first, second = publishers.index[:2]
    more = len(publishers) - 2
    return (
        f"Sources: {first}; {second}; and {more} more publishers, each cited in its cell's evidence"
    )


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
