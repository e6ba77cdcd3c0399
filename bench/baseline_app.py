"""The minimal baseline: plain Streamlit drawing the same heatmap and timeline from the same
data, with the same 'As of' slider, and nothing else. The benchmark compares the app to this."""

import os
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

DATA = Path(os.environ.get("DASHBOARD_DATA_DIR") or Path(__file__).resolve().parent.parent / "data")

positions = pd.read_csv(DATA / "positions.csv", parse_dates=["date"])
stances = pd.read_csv(DATA / "stances.csv")
countries = pd.read_csv(DATA / "countries.csv")
issues = pd.read_csv(DATA / "issues.csv").sort_values("order")
obs = positions.merge(stances, on=["issue", "stance"])

as_of = st.slider(
    "As of",
    min_value=obs["date"].min().date(),
    max_value=obs["date"].max().date(),
    value=obs["date"].max().date(),
    format="D MMM YYYY",
)
known = obs[obs["date"] <= pd.Timestamp(as_of)].sort_values("date")
latest = known.groupby(["country", "issue"]).tail(1)
z = latest.pivot(index="country", columns="issue", values="score")
z = z.reindex(index=countries["iso3"], columns=issues["id"])
text = latest.pivot(index="country", columns="issue", values="label").reindex_like(z)
heat = go.Figure(
    go.Heatmap(
        z=z.values, x=issues["label"], y=countries["name"], text=text.fillna("").values,
        texttemplate="%{text}", colorscale="RdBu", zmin=-2, zmax=2,
    )
)  # fmt: skip
heat.update_layout(title=f"Positions as of {as_of:%-d %b %Y}", height=700)
st.plotly_chart(heat, key="matrix")

lanes = go.Figure(
    go.Scatter(
        x=obs["date"], y=obs["country"], mode="markers",
        marker={"color": obs["score"], "colorscale": "RdBu", "cmin": -2, "cmax": 2, "size": 12},
        text=obs["summary"],
    )
)  # fmt: skip
lanes.update_layout(title="Observations over time", height=700)
st.plotly_chart(lanes, key="timeline")
