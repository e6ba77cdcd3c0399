"""The moves of the changed cells: one band per country, each changed cell a dumbbell from the
score it started the period with (a bar) to its score at the end (a dot coloured by score), or
a dot alone where it did not move."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from core.model.vocabulary import signed_score
from figures.options import EXPLORER, Presentation, presentation_layout
from figures.palette import SCORE_COLOURS, score_axis

BAND = 0.64
"""How much of a country's band (1 unit) its cells spread over, so that bands stay apart."""
AWAY, TOWARD = SCORE_COLOURS[2], SCORE_COLOURS[-2]
OUTLINE = "#555555"
END = "Where it stands at the end"
ROW_HEIGHT = 48
"""Pixels per country band."""


def _positions(frame: pd.DataFrame, countries: list[str]) -> list[float]:
    """Each cell's height: its country's band (the first country on top), its cells spread
    evenly within it in the frame's order."""
    if frame.empty:
        return []
    band = {c: len(countries) - 1 - i for i, c in enumerate(countries)}
    rank = frame.groupby("country").cumcount()
    size = frame["country"].map(frame["country"].value_counts())
    spread = ((rank + 0.5) / size - 0.5) * BAND
    return list(frame["country"].map(band) - spread)


def _hover(row) -> str:
    start = "" if pd.isna(row.score_start) else signed_score(row.score_start) + " → "
    return (
        f"<b>{html.escape(str(row.country_name))} · {html.escape(str(row.issue_label))}</b>"
        f"<br>{html.escape(str(row.path))}<br>score {start}{signed_score(row.score)}"
    )


def _segments(moves: pd.DataFrame, name: str, colour: str) -> go.Scatter:
    """One line per move, from its start to its end score, joined in one trace by gaps."""
    xs, ys = [], []
    for row in moves.itertuples(index=False):
        xs += [row.score_start, row.score, None]
        ys += [row.y, row.y, None]
    return go.Scatter(
        x=xs, y=ys, mode="lines", name=name, line={"color": colour, "width": 3},
        hoverinfo="skip", legendgroup=name,
    )  # fmt: skip


def build_changes(
    frame: pd.DataFrame, *, title: str, options: Presentation = EXPLORER
) -> go.Figure:
    """The cells of a `changes` frame (core.analysis.measures.changes) that hold a score at the
    end, by country: a line from `score_start` to `score` where the score moved (blue away from
    Moscow's line, red toward it), a bar where it started, a dot coloured by score where it
    stands; presented as `options` say."""
    scored = frame[frame["score"].notna()].sort_values(
        ["country_name", "issue_order"], kind="stable"
    )
    countries = list(dict.fromkeys(scored["country"]))
    names = dict(zip(scored["country"], scored["country_name"], strict=True))
    cells = scored.assign(y=_positions(scored, countries)).reset_index(drop=True)
    moved = cells[cells["score_start"].notna() & (cells["score_start"] != cells["score"])]
    fig = go.Figure()
    fig.add_trace(_segments(moved[moved["score"] > moved["score_start"]], "Moved away from "
                            "Moscow's line", AWAY))  # fmt: skip
    fig.add_trace(_segments(moved[moved["score"] < moved["score_start"]], "Moved toward "
                            "Moscow's line", TOWARD))  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=cells["score"], y=cells["y"], mode="markers", name=END, showlegend=False,
            marker={"size": 10, "color": [SCORE_COLOURS[int(s)] for s in cells["score"]],
                    "line": {"color": OUTLINE, "width": 1}},
            customdata=cells[["country", "issue"]].values, legendgroup=END,
            hovertext=[_hover(r) for r in cells.itertuples(index=False)],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=moved["score_start"], y=moved["y"], mode="markers", name="Where it started",
            marker={"symbol": "line-ns-open", "size": 12, "color": OUTLINE,
                    "line": {"width": 3, "color": OUTLINE}},
            hoverinfo="skip",
        )
    )  # fmt: skip
    fig.add_trace(  # the legend's entry for the dots, grey, as they take every score's colour
        go.Scatter(x=[None], y=[None], mode="markers", name=f"{END} (coloured by score)",
                   marker={"size": 10, "color": OUTLINE}, legendgroup=END)
    )  # fmt: skip
    for edge in range(len(countries) - 1):  # a thin rule between country bands
        fig.add_hline(y=edge + 0.5, line={"color": "rgba(128,128,128,0.3)", "width": 1})
    if not len(cells):
        fig.add_annotation(text="No cell with a score changed between these dates.",
                           x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)  # fmt: skip
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=140 + ROW_HEIGHT * max(len(countries), 2),
        margin={"l": 10, "r": 10, "t": 70, "b": 80},
        xaxis=score_axis(2.5, zeroline=False),
        yaxis={
            "tickvals": list(range(len(countries))),
            "ticktext": [html.escape(str(names[c])) for c in reversed(countries)],
            "range": [-0.6, len(countries) - 0.4],
            "showgrid": False,
            "fixedrange": True,
        },
        # under the axis, clear of the source line that ui.charts puts under the title
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        dragmode=False,
    )
    fig.update_layout(presentation_layout(options))
    return fig
