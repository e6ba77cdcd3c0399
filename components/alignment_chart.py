"""Ranked bar chart of the alignment index: one bar per country, coloured on the score scale."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from components.palette import score_colorscale


def build_alignment(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Bars for `frame` (from core.measures.alignment), highest index at the top."""
    ranked = frame.dropna(subset=["index"]).sort_values("index", ascending=True)
    missing = frame[frame["index"].isna()]
    names = [html.escape(str(n)) for n in ranked["country_name"]]
    counts = [
        f"{v:+.2f} · {s} of {a} issues" for v, s, a in
        zip(ranked["index"], ranked["n_scored"], ranked["n_applicable"], strict=True)
    ]  # fmt: skip
    fig = go.Figure(
        go.Bar(
            x=ranked["index"],
            y=names,
            orientation="h",
            marker={
                "color": ranked["index"],
                "colorscale": score_colorscale(),
                "cmin": -2,
                "cmax": 2,
                "line": {"color": "#555555", "width": 1},
            },
            text=counts,
            textposition="outside",
            customdata=ranked[["country"]].values,
            hovertemplate="<b>%{y}</b><br>Alignment index %{x:+.2f}<br>%{text}<extra></extra>",
            name="alignment",
        )
    )
    if len(missing):
        listed = ", ".join(html.escape(str(n)) for n in missing["country_name"])
        fig.add_annotation(
            text=f"No scored issue: {listed}", x=0, y=-0.12, xref="paper", yref="paper",
            showarrow=False, xanchor="left", font={"size": 12},
        )  # fmt: skip
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=90 + (34 if len(ranked) <= 30 else 16) * max(len(ranked), 1),
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
        xaxis={
            "range": [-2.9, 2.9],
            "tickvals": [-2, -1, 0, 1, 2],
            "ticktext": ["−2 with Moscow", "−1", "0", "+1", "+2 distancing"],
            "zeroline": True,
            "fixedrange": True,
        },
        yaxis={"fixedrange": True},
        showlegend=False,
        dragmode=False,
    )
    return fig
