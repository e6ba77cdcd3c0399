"""The countries x issues matrix: a pure function from a cells frame to a Plotly figure.

Cells are drawn by a Heatmap (it scales with the page); a transparent Scatter of square
markers lies on top because a click on a Heatmap gives Streamlit no selection event
(Streamlit issues #8760 and #15042), while a click on a Scatter point does. Each point's
customdata is [ISO3, issue id].
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from components.palette import (
    NO_EVIDENCE_COLOUR,
    NO_EVIDENCE_TEXT,
    NOT_APPLICABLE_COLOUR,
    NOT_APPLICABLE_TEXT,
    SCORE_COLOURS,
    STATE_WORDS,
    score_words,
)
from core.query import NO_EVIDENCE, NOT_APPLICABLE, SCORED, format_date

# Heatmap z codes: scores -2..2 as themselves, then the two states without a score.
Z_NO_EVIDENCE, Z_NOT_APPLICABLE = 3, 4
ROW_HEIGHT = 46
HEADER_HEIGHT = 185
TITLE = "Positions on Russia's war in Ukraine, by country and issue"


def _colorscale() -> list[list]:
    """A stepped scale over z in [-2, 4]: one flat band per code."""
    colours = [SCORE_COLOURS[s] for s in (-2, -1, 0, 1, 2)]
    colours += [NO_EVIDENCE_COLOUR, NOT_APPLICABLE_COLOUR]
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def _z(row: pd.Series) -> float:
    if row["state"] == SCORED:
        return float(row["score"])
    return Z_NO_EVIDENCE if row["state"] == NO_EVIDENCE else Z_NOT_APPLICABLE


def _cell_text(row: pd.Series) -> str:
    if row["state"] == SCORED:
        text = html.escape(str(row["label"]))
        return (
            "<br>".join(textwrap.wrap(text, 10, break_long_words=False, break_on_hyphens=False))
            or text
        )
    if row["state"] == NO_EVIDENCE:
        return NO_EVIDENCE_TEXT.replace(" ", "<br>")
    return NOT_APPLICABLE_TEXT


def _hover(row: pd.Series) -> str:
    head = (
        f"<b>{html.escape(str(row['country_name']))} · {html.escape(str(row['issue_label']))}</b>"
    )
    if row["state"] == NOT_APPLICABLE:
        return f"{head}<br>{STATE_WORDS['not_applicable']}"
    if row["state"] == NO_EVIDENCE:
        return f"{head}<br>{STATE_WORDS['no_evidence']}"
    when = format_date(row["date"], row["date_precision"])
    summary = "<br>".join(textwrap.wrap(html.escape(str(row["summary"])), 60))
    return (
        f"{head}<br>{html.escape(str(row['label']))} (score {int(row['score']):+d})"
        f"<br>{when} · {row['confidence']} confidence<br>{summary}"
        f"<br><i>Click for the evidence</i>"
    )


def build_matrix(
    frame: pd.DataFrame,
    *,
    countries: list[str],
    issues: list[str],
    title: str = TITLE,
) -> go.Figure:
    """Matrix figure for `frame` (from core.query.cells), rows and columns in the given order."""
    col = {issue: i for i, issue in enumerate(issues)}
    row_of = {country: i for i, country in enumerate(countries)}
    cells = frame[frame["country"].isin(row_of) & frame["issue"].isin(col)].copy()
    cells["x"] = cells["issue"].map(col)
    cells["y"] = cells["country"].map(row_of)
    cells["z"] = cells.apply(_z, axis=1)
    cells["text"] = cells.apply(_cell_text, axis=1)
    cells["hover"] = cells.apply(_hover, axis=1)

    z = cells.pivot(index="y", columns="x", values="z").reindex(
        index=range(len(countries)), columns=range(len(issues))
    )
    text = cells.pivot(index="y", columns="x", values="text").reindex_like(z)
    names = frame.drop_duplicates("country").set_index("country")["country_name"]
    labels = frame.drop_duplicates("issue").set_index("issue")
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=z.values,
            x=list(range(len(issues))),
            y=list(range(len(countries))),
            text=text.fillna("").values,
            texttemplate="%{text}",
            textfont={"size": 10},
            colorscale=_colorscale(),
            zmin=-2.5,
            zmax=4.5,
            showscale=False,
            xgap=2,
            ygap=2,
            hoverinfo="skip",
            name="cells",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=cells["x"],
            y=cells["y"],
            mode="markers",
            marker={"symbol": "square", "size": 34, "color": "rgba(0,0,0,0)"},
            selected={"marker": {"color": "rgba(20,20,20,0.28)"}},
            unselected={"marker": {"opacity": 0}},
            customdata=cells[["country", "issue"]].values,
            hovertext=cells["hover"],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            name="select",
        )
    )
    _add_legend(fig)
    _add_category_headers(fig, issues, labels)
    fig.update_layout(
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 0.99,
            "yanchor": "top",
            "yref": "container",
        },
        height=HEADER_HEIGHT + ROW_HEIGHT * len(countries) + 110,
        margin={"l": 10, "r": 10, "t": HEADER_HEIGHT, "b": 10},
        plot_bgcolor="rgba(0,0,0,0)",
        hovermode="closest",
        clickmode="event+select",
        dragmode=False,
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0, "font": {"size": 12}},
        xaxis={
            "tickvals": list(range(len(issues))),
            "ticktext": [html.escape(str(labels.at[i, "issue_label"])) for i in issues],
            "tickangle": -45,
            "tickfont": {"size": 11},
            "side": "top",
            "showgrid": False,
            "zeroline": False,
            "range": [-0.5, len(issues) - 0.5],
            "fixedrange": True,
        },
        yaxis={
            "tickvals": list(range(len(countries))),
            "ticktext": [html.escape(str(names.get(c, c))) for c in countries],
            "autorange": "reversed",
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
    )
    return fig


def _add_legend(fig: go.Figure) -> None:
    """Legend entries in words: one per score, then the two states without a score."""
    entries = [(score_words(s), SCORE_COLOURS[s]) for s in (2, 1, 0, -1, -2)]
    entries += [(STATE_WORDS["no_evidence"], NO_EVIDENCE_COLOUR)]
    entries += [(STATE_WORDS["not_applicable"], NOT_APPLICABLE_COLOUR)]
    for name, colour in entries:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=name,
                marker={
                    "symbol": "square",
                    "size": 14,
                    "color": colour,
                    "line": {"color": "#666666", "width": 1},
                },
                hoverinfo="skip",
            )
        )


def _add_category_headers(fig: go.Figure, issues: list[str], labels: pd.DataFrame) -> None:
    """A header over each run of same-category columns, and a rule between runs."""
    runs: list[tuple[str, int, int]] = []
    for i, issue in enumerate(issues):
        cat = str(labels.at[issue, "category"])
        if runs and runs[-1][0] == cat:
            runs[-1] = (cat, runs[-1][1], i)
        else:
            runs.append((cat, i, i))
    for cat, start, end in runs:
        fig.add_annotation(
            x=(start + end) / 2,
            y=1.0,
            xref="x",
            yref="paper",
            yshift=140,
            text=f"<b>{html.escape(cat)}</b>",
            showarrow=False,
            font={"size": 12},
        )
        if start > 0:
            fig.add_vline(x=start - 0.5, line={"color": "#444444", "width": 2})
