"""Matrix page: which state took which position on the war, as of a chosen date."""

import pandas as pd
import streamlit as st

from components.data_access import current_dataset
from components.evidence import render_evidence
from components.matrix_chart import build_matrix
from core.query import cells, date_bounds, format_date

ds = current_dataset()
first, last = date_bounds(ds)

st.title("Who broke with Moscow, on what, and when")
st.caption(
    "Each cell is one country's position on one issue, coded from dated, cited evidence. "
    "Colour shows the score from +2 (open distancing from Moscow) to −2 (siding with Moscow); "
    "the text names the stance. Click a cell to see the evidence behind it."
)

as_of = st.slider(
    "As of",
    min_value=first.date(),
    max_value=last.date(),
    value=last.date(),
    format="D MMM YYYY",
    help="Show the latest position known on or before this date.",
)
when = pd.Timestamp(as_of)
countries = list(ds.countries["iso3"])
issues = list(ds.issues["id"])
frame = cells(ds, when)
fig = build_matrix(
    frame,
    countries=countries,
    issues=issues,
    title=f"Positions on Russia's war in Ukraine as of {format_date(when, 'day')}",
)
event = st.plotly_chart(
    fig,
    key="matrix",
    on_select="rerun",
    selection_mode="points",
    config={"displaylogo": False},
    alt=(
        f"Matrix of {len(countries)} countries by {len(issues)} issues as of "
        f"{format_date(when, 'day')}, coloured by score, with the stance written in each cell."
    ),
)
points = event.selection.points if event else []
if points:
    st.session_state["cell"] = tuple(points[0]["customdata"])
country, issue = st.session_state.get("cell", ("", ""))
render_evidence(ds, country, issue, when)
st.caption(
    "Sources: Paul Stronski, Carnegie Endowment for International Peace (March 2022), "
    "and UN Digital Library voting records of resolutions ES-11/1 to ES-11/8."
)
