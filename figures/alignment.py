"""Ranked bar chart of the alignment index: one bar per country, coloured on the score scale."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from core.analysis.measures import MIN_SCORED_ISSUES, ranking
from figures.options import EXPLORER, Presentation, presentation_layout
from figures.palette import score_axis, score_colorscale


def _unranked_note(unranked: pd.DataFrame, min_scored: int) -> str:
    """'Too little evidence (under 3 scored issues): Georgia (1), Moldova (0)'."""
    listed = ", ".join(
        f"{html.escape(str(n))} ({k})"
        for n, k in zip(unranked["country_name"], unranked["n_scored"], strict=True)
    )
    return f"Too little evidence to rank (under {min_scored} scored issues): {listed}"


def build_alignment(
    frame: pd.DataFrame,
    *,
    title: str,
    min_scored: int = MIN_SCORED_ISSUES,
    options: Presentation = EXPLORER,
) -> go.Figure:
    """Bars for the ranked countries of `frame` (from core.analysis.measures.alignment), in the
    order of core.analysis.measures.ranking from the top; the unranked are listed under the
    chart; presented as `options` say."""
    order = [c for c in ranking(frame) if c in set(frame.loc[frame["ranked"], "country"])]
    ranked = frame.set_index("country").loc[list(reversed(order))].reset_index()
    missing = frame[~frame["ranked"]]
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
        fig.add_annotation(
            text=_unranked_note(missing, min_scored), x=0, y=0, yshift=-34, xref="paper",
            yref="paper", showarrow=False, xanchor="left", yanchor="top", font={"size": 12},
        )  # fmt: skip
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=90 + (34 if len(ranked) <= 30 else 16) * max(len(ranked), 1),
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
        xaxis=score_axis(2.9, zeroline=True),
        yaxis={"fixedrange": True},
        showlegend=False,
        dragmode=False,
    )
    fig.update_layout(presentation_layout(options))
    return fig
