"""Ranked bar chart of the alignment index: one bar per country, coloured on the score scale."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from core.analysis.measures import MIN_SCORED_ISSUES
from figures.options import EXPLORER, Presentation, presentation_layout
from figures.palette import score_axis, score_colorscale


def _unranked_note(unranked: list[dict], min_scored: int) -> str:
    """'Too little evidence (under 3 scored issues): Georgia (1), Moldova (0)'."""
    listed = ", ".join(f"{html.escape(str(r['country_name']))} ({r['n_scored']})" for r in unranked)
    return f"Too little evidence to rank (under {min_scored} scored issues): {listed}"


NOTE_PLACE = {
    "x": 0, "y": 0, "yshift": -34, "xref": "paper", "yref": "paper", "showarrow": False,
    "xanchor": "left", "yanchor": "top", "font": {"size": 12},
}  # fmt: skip
"""Where the list of unranked countries goes: under the bars."""


def alignment_parts(rows: list[dict], *, min_scored: int = MIN_SCORED_ISSUES) -> dict:
    """What of the chart follows the date, from the records of an alignment frame: the bars
    (x, y, text, customdata, lowest first), the chart's height and the note on the unranked
    ('' when all are ranked). In plain Python (the browser's frames need it at every date): the
    order is core.analysis.measures.ranking's, highest index first, ties by name, stable."""
    ranked = sorted(
        (r for r in rows if r["ranked"]), key=lambda r: (-r["index"], r["country_name"])
    )[::-1]
    missing = sorted((r for r in rows if not r["ranked"]), key=lambda r: r["country_name"])
    return {
        "x": [float(r["index"]) for r in ranked],
        "y": [html.escape(str(r["country_name"])) for r in ranked],
        "text": [
            f"{r['index']:+.2f} · {r['n_scored']} of {r['n_applicable']} issues" for r in ranked
        ],
        "customdata": [[str(r["country"])] for r in ranked],
        "height": 90 + (34 if len(ranked) <= 30 else 16) * max(len(ranked), 1),
        "note": _unranked_note(missing, min_scored) if missing else "",
    }


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
    parts = alignment_parts(frame.to_dict("records"), min_scored=min_scored)
    fig = go.Figure(
        go.Bar(
            x=parts["x"],
            y=parts["y"],
            orientation="h",
            marker={
                "color": parts["x"],
                "colorscale": score_colorscale(),
                "cmin": -2,
                "cmax": 2,
                "line": {"color": "#555555", "width": 1},
            },
            text=parts["text"],
            textposition="outside",
            customdata=parts["customdata"],
            hovertemplate="<b>%{y}</b><br>Alignment index %{x:+.2f}<br>%{text}<extra></extra>",
            name="alignment",
        )
    )
    if parts["note"]:
        fig.add_annotation(text=parts["note"], **NOTE_PLACE)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=parts["height"],
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
        xaxis=score_axis(2.9, zeroline=True),
        yaxis={"fixedrange": True},
        showlegend=False,
        dragmode=False,
    )
    fig.update_layout(presentation_layout(options))
    return fig
