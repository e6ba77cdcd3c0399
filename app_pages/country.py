"""Country profile: memberships, the alignment index over time, positions and timeline."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.analysis.measures import WEIGHT_WORDS
from core.analysis.query import date_bounds, format_date
from figures.palette import score_colorscale
from figures.stance_table import cell_text
from figures.timeline import build_timeline, period_range
from ui.charts import show_chart
from ui.downloads import download_view
from ui.evidence import evidence_section, select_cell_from_chart
from ui.filters import period_choice, weight_choice
from ui.links import notice_ignored_link_values, share_box
from ui.state import (
    cached_alignment_over_time,
    cached_cells,
    cached_observations,
    current_dataset,
)
from ui.text import md_escape
from ui.url_state import publish, seed_value

MEMBERSHIP_WORDS = {
    "member": "Member",
    "observer": "Observer",
    "associate": "Associate member",
    "former": "Former member",
    "none": "Not a member",
}

ds = current_dataset()
notice_ignored_link_values(ds)
names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
seed_value("country", "country", list(names))
if st.session_state["country"] is None:
    st.session_state["country"] = next(iter(names))
st.title("Country profile")
c1, c2, c3 = st.columns([1, 1, 1])
country = c1.selectbox("Country", list(names), format_func=names.get, key="country")
publish("country", country)
with c2.popover("Alignment index weights", width="stretch"):
    preset, weights = weight_choice(ds)
with c3:
    period = period_choice()

row = ds.countries.set_index("iso3").loc[country]
st.header(names[country], anchor=False)
st.caption(f"Region: {md_escape(row['region'])}.")
cols = st.columns(3)
for col, org in zip(cols, ["csto", "eaeu", "cis"], strict=True):
    col.metric(f"{org.upper()} in 2022", MEMBERSHIP_WORDS.get(row[org], row[org]))
if row["membership_note"]:
    st.caption(md_escape(row["membership_note"]))

first, last = date_bounds(ds)
history = cached_alignment_over_time(ds.fingerprint, country, weights, ds)
st.subheader("Alignment index over time", anchor=False)
st.caption(
    "The country's weighted mean score over the issues it was scored on at each date when one "
    "of its observations changed it; hover a point for how many issues it rests on. An "
    "interpretation, from −2 (with Moscow) to +2 (distancing)."
)
fig = go.Figure(
    go.Scatter(
        x=history["date"],
        y=history["index"],
        mode="lines+markers",
        line={"shape": "hv", "color": "#666666"},
        marker={"size": 12, "color": history["index"], "colorscale": score_colorscale(),
                "cmin": -2, "cmax": 2, "line": {"color": "#333333", "width": 1}},
        customdata=history["n_scored"],
        hovertemplate="%{x|%d %b %Y}: index %{y:+.2f}, resting on %{customdata} issues"
        "<extra></extra>",
    )
)  # fmt: skip
fig.update_layout(
    title={"text": f"Alignment index of {names[country]} ({WEIGHT_WORDS[preset]})", "x": 0},
    height=340,
    margin={"l": 10, "r": 10, "t": 60, "b": 10},
    yaxis={"range": [-2.3, 2.3], "tickvals": [-2, -1, 0, 1, 2], "zeroline": True},
)
show_chart(
    fig,
    ds,
    key="country_alignment",
    filename=f"alignment-{country}",
    alt=f"Step line of {names[country]}'s alignment index from {first:%Y} to {last:%Y}.",
)

st.subheader(f"Positions as of {format_date(last, 'day')}", anchor=False)
frame = cached_cells(ds.fingerprint, last, ds)
mine = frame[frame["country"] == country].sort_values("issue_order")
table = pd.DataFrame(
    {
        "Category": mine["category"],
        "Issue": mine["issue_label"],
        "Stance": mine.apply(cell_text, axis=1),
        "Date": [
            format_date(d, p) if s == "scored" else ""
            for d, p, s in zip(mine["date"], mine["date_precision"], mine["state"], strict=True)
        ],
        "Confidence": mine["confidence"].fillna(""),
        "Summary": mine["summary"].fillna(""),
        "Locator": mine["locator"].fillna(""),
    }
)
st.dataframe(table, hide_index=True, width="stretch")

st.subheader("Timeline", anchor=False)
obs = cached_observations(ds.fingerprint, ds)
categories = list(dict.fromkeys(ds.issues["category"]))
span = period_range(period, first, last)
evidence_section(ds, last)
timeline = build_timeline(
    obs, ds.events[ds.events["country"].isin(["", country])], countries=[country],
    categories=categories, date_range=span, title=f"Observations of {names[country]} over time",
)  # fmt: skip
show_chart(
    timeline,
    ds,
    key="country_timeline",
    on_select=select_cell_from_chart("country_timeline"),
    filename=f"timeline-{country}",
    alt=f"Timeline of {names[country]}'s observations, coloured by score.",
)
share_box(ds)
download_view(ds, mine, as_of=last)
