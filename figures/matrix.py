"""The countries x issues matrix: a pure function from a cells frame to a Plotly figure.

Cells are drawn by a Heatmap (it scales with the page); a transparent Scatter of square
markers lies on top because a click on a Heatmap gives Streamlit no selection event
(Streamlit issues #8760 and #15042), while a click on a Scatter point does. Each point's
customdata is [ISO3, issue id].
"""

from __future__ import annotations

import html
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.analysis.query import NO_EVIDENCE, NOT_APPLICABLE, SCORED, format_date
from core.model.vocabulary import STATE_MARKS, stance_words, state_words
from figures.options import (
    CONTRAST_FOCUS,
    CONTRAST_VEIL,
    EXPLORER,
    MIN_TEXT_SIZE,
    TIGHT_MARGIN,
    Presentation,
    merged,
    presentation_layout,
)
from figures.palette import (
    NO_EVIDENCE_COLOUR,
    NOT_APPLICABLE_COLOUR,
    NOT_APPLICABLE_TEXT,
    SCORE_COLOURS,
    score_words,
)

# Heatmap z codes: scores -2..2 as themselves, then the two states without a score.
Z_NO_EVIDENCE, Z_NOT_APPLICABLE = 3, 4
# "No evidence" is a white cell with a grey dash, so it differs from a 0 by shape, not colour.
NO_EVIDENCE_SYMBOL, NO_EVIDENCE_SIZE, NO_EVIDENCE_MARK = "line-ew-open", 16, "#8a8a8a"
NOT_APPLICABLE_SYMBOL = "line-ne-open"
ROW_HEIGHT = 46
MAX_TEXT_COLUMNS = 18
"""Above this many issues a cell at 1280 px is about 40 px wide, too narrow for a stance's words
at the 12 px minimum (they spilled into the next cells): colour and shape carry the stance, and
the hover, the evidence and the list view give its words."""
DIM_COLOUR = "rgba(255,255,255,0.72)"
FOCUS_OUTLINE = "#111111"
HEADER_HEIGHT = 205
COMPACT_HEADER = 170
FLAT_HEADER = 120
"""Room above the cells when the column labels are written flat (see Presentation.flat_labels)."""
HEADER_SHIFT, FLAT_HEADER_SHIFT = 140, 60
"""How far above the cells the category headers sit, over slanted and over flat labels."""
HEADER_TYPE = 12
"""The type size the header room above was measured for; larger type grows it in proportion."""
CELL_TEXT_SIZE = MIN_TEXT_SIZE
SLANT_ROOM = 80
"""Right margin for slanted column labels: plotly hides a label that runs past the figure."""
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


def _z(row: dict) -> float:
    if row["state"] == SCORED:
        return float(row["score"])
    return Z_NO_EVIDENCE if row["state"] == NO_EVIDENCE else Z_NOT_APPLICABLE


def _cell_text(row: dict) -> str:
    if row["state"] == SCORED:
        text = html.escape(str(row["label"]))
        return (
            "<br>".join(textwrap.wrap(text, 10, break_long_words=False, break_on_hyphens=False))
            or text
        )
    if row["state"] == NO_EVIDENCE:
        return ""  # drawn as a dash marker instead: SVG text is the costliest part of a redraw
    return NOT_APPLICABLE_TEXT


def _hover(row: dict) -> str:
    head = (
        f"<b>{html.escape(str(row['country_name']))} · {html.escape(str(row['issue_label']))}</b>"
    )
    if row.get("question"):  # the issue in words: "UNGA ES-11/4" says nothing of its subject
        question = "<br>".join(textwrap.wrap(html.escape(str(row["question"])), 60))
        head = f"{head}<br><i>{question}</i>"
    if row["state"] == NOT_APPLICABLE:
        return f"{head}<br>{state_words(NOT_APPLICABLE)}"
    if row["state"] == NO_EVIDENCE:
        return f"{head}<br>{state_words(NO_EVIDENCE)}"
    when = format_date(row["date"], row["date_precision"])
    summary = "<br>".join(textwrap.wrap(html.escape(str(row["summary"])), 60))
    return (
        f"{head}<br>{html.escape(stance_words(row['label'], row['score']))}"
        f"<br>{when} · {row['confidence']} confidence<br>{summary}"
        f"<br><i>Click for the evidence</i>"
    )


CellLook = tuple[float, str, str, str, int, str, int]
"""How one cell is drawn: heatmap z and text, then its clickable point's hover text, marker
symbol, size, colour and line width."""


def cell_look(row: dict, show_text: bool) -> CellLook:
    """How the cell `row` (a record of core.analysis.query.cells) is drawn; without the
    stance's words (`show_text` false), a not-applicable cell gets a slash so that it is told
    apart by shape too."""
    empty = row["state"] == NO_EVIDENCE
    slash = not show_text and row["state"] == NOT_APPLICABLE
    if empty or slash:
        symbol = NO_EVIDENCE_SYMBOL if empty else NOT_APPLICABLE_SYMBOL
        colour = NO_EVIDENCE_MARK if empty else "#333333"
        marker = (symbol, NO_EVIDENCE_SIZE, colour, 2)
    else:
        marker = ("square", 34, "rgba(0,0,0,0)", 0)
    return (_z(row), _cell_text(row), _hover(row), *marker)


def build_matrix(
    frame: pd.DataFrame,
    *,
    countries: list[str],
    issues: list[str],
    title: str = TITLE,
    focus: list[tuple[str, str]] | None = None,
    marked: tuple[str, str] | None = None,
    options: Presentation = EXPLORER,
) -> go.Figure:
    """Matrix figure for `frame` (from core.analysis.query.cells), rows and columns in the given
    order; `focus` cells are outlined and every other cell dimmed, the `marked` cell (the one
    whose evidence is open) only outlined; presented as `options` say.

    Built as a plain spec and wrapped without re-validation: plotly's per-property checks cost
    more than everything else on a slider move, and the unit tests pin the spec instead.
    """
    col = {issue: i for i, issue in enumerate(issues)}
    row_of = {country: i for i, country in enumerate(countries)}
    cells = frame[frame["country"].isin(row_of) & frame["issue"].isin(col)]
    records = cells.to_dict("records")
    xs = [col[r["issue"]] for r in records]
    ys = [row_of[r["country"]] for r in records]
    z = np.full((len(countries), len(issues)), np.nan)
    text = np.full((len(countries), len(issues)), "", dtype=object)
    show_text = len(issues) <= MAX_TEXT_COLUMNS
    looks = [cell_look(r, show_text) for r in records]
    for x, y, look in zip(xs, ys, looks, strict=True):
        z[y, x], text[y, x] = look[0], look[1]
    names = frame.drop_duplicates("country").set_index("country")["country_name"]
    labels = frame.drop_duplicates("issue").set_index("issue")
    heatmap = {
        "type": "heatmap",
        "z": z.tolist(),
        "x": list(range(len(issues))),
        "y": list(range(len(countries))),
        "text": text.tolist(),
        # past MAX_TEXT_COLUMNS the words no longer fit a cell: colour and hover carry the stance
        "texttemplate": "%{text}" if show_text else "",
        "textfont": {"size": options.label_size or CELL_TEXT_SIZE},
        "colorscale": _colorscale(),
        "zmin": -2.5,
        "zmax": 4.5,
        "showscale": False,
        "xgap": 2,
        "ygap": 2,
        "hoverinfo": "skip",
        "name": "cells",
    }
    clickable = {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "markers",
        "marker": {
            "symbol": [look[3] for look in looks],
            "size": [look[4] for look in looks],
            "color": [look[5] for look in looks],
            "line": {"width": [look[6] for look in looks]},
        },
        "unselected": {"marker": {"opacity": 1}},
        "customdata": [[r["country"], r["issue"]] for r in records],
        "hovertext": [look[2] for look in looks],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "showlegend": False,
        "name": "select",
    }
    flat = len(issues) <= options.flat_labels
    size = options.font_size or HEADER_TYPE
    grow = max(size / HEADER_TYPE, 1.0)
    shift = round((FLAT_HEADER_SHIFT if flat else HEADER_SHIFT) * grow)
    headers, rules = _category_headers(issues, labels, shift, size)
    top = round(
        (FLAT_HEADER if flat else COMPACT_HEADER if options.compact else HEADER_HEIGHT) * grow
    )
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left", "y": 0.99, "yanchor": "top",
                  "yref": "container"},
        "height": HEADER_HEIGHT + ROW_HEIGHT * len(countries) + 110,
        "margin": {"l": 10, "r": 10 if flat else SLANT_ROOM, "t": top,
                   "b": TIGHT_MARGIN if options.compact else 10},
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hovermode": "closest",
        "clickmode": "event+select",
        "dragmode": False,
        "legend": {"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0,
                   "font": {"size": 12}},
        "xaxis": {
            "tickvals": list(range(len(issues))),
            "ticktext": [html.escape(str(labels["issue_label"].get(i, i))) for i in issues],
            "tickangle": 0 if flat else -45,
            "tickfont": {"size": MIN_TEXT_SIZE},
            "side": "top",
            "showgrid": False,
            "zeroline": False,
            "range": [-0.5, len(issues) - 0.5],
            "fixedrange": True,
        },
        "yaxis": {
            "tickvals": list(range(len(countries))),
            "ticktext": [html.escape(str(names.get(c, c))) for c in countries],
            "autorange": "reversed",
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        "annotations": headers,
        "shapes": rules,
    }  # fmt: skip
    data = [heatmap, clickable, *_legend_entries()]
    if focus:
        dim, outlines = _focus_layers(focus, col, row_of, options.high_contrast)
        data.insert(1, dim)
        layout["shapes"] = rules + outlines
    if marked:  # after the rules, so that the outline is drawn over them
        _, outline = _focus_layers([marked], col, row_of, options.high_contrast)
        layout["shapes"] = layout["shapes"] + outline
    layout = merged(layout, presentation_layout(options))
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _focus_layers(
    focus: list[tuple[str, str]], col: dict[str, int], row_of: dict[str, int], contrast: bool
) -> tuple[dict, list[dict]]:
    """A translucent veil over every cell but the focus cells, and an outline round each
    (the veil in the paper's colour and a yellow outline in high `contrast`)."""
    veil_colour = CONTRAST_VEIL if contrast else DIM_COLOUR
    cells = {(row_of[c], col[i]) for c, i in focus if c in row_of and i in col}
    veil = [[None if (y, x) in cells else 1 for x in range(len(col))] for y in range(len(row_of))]
    dim = {
        "type": "heatmap", "z": veil, "x": list(range(len(col))), "y": list(range(len(row_of))),
        "colorscale": [[0, veil_colour], [1, veil_colour]], "showscale": False,
        "hoverinfo": "skip", "xgap": 2, "ygap": 2, "name": "dim",
    }  # fmt: skip
    outlines = [
        {
            "type": "rect", "x0": x - 0.5, "x1": x + 0.5, "y0": y - 0.5, "y1": y + 0.5,
            "xref": "x", "yref": "y",
            "line": {"color": CONTRAST_FOCUS if contrast else FOCUS_OUTLINE, "width": 3},
        }
        for y, x in sorted(cells)
    ]  # fmt: skip
    return dim, outlines


def _state_key(state: str) -> str:
    return f"{STATE_MARKS[state]} {state_words(state)}"


def _legend_entries() -> list[dict]:
    """Legend entries in words: one per score, then the two states without a score."""
    entries = [(score_words(s), "square", SCORE_COLOURS[s]) for s in (2, 1, 0, -1, -2)]
    entries += [(_state_key(NO_EVIDENCE), NO_EVIDENCE_SYMBOL, NO_EVIDENCE_MARK)]
    entries += [(_state_key(NOT_APPLICABLE), "square", NOT_APPLICABLE_COLOUR)]
    return [
        {
            "type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name,
            "marker": {"symbol": symbol, "size": 14, "color": colour,
                       "line": {"color": "#666666" if symbol == "square" else colour,
                                "width": 1 if symbol == "square" else 2}},
            "hoverinfo": "skip",
        }
        for name, symbol, colour in entries
    ]  # fmt: skip


def _category_headers(
    issues: list[str], labels: pd.DataFrame, shift: int, size: int
) -> tuple[list[dict], list[dict]]:
    """A header over each run of same-category columns, `shift` pixels above the cells, and a
    rule between runs."""
    runs: list[tuple[str, int, int]] = []
    for i, issue in enumerate(issues):
        cat = str(labels["category"].get(issue, ""))
        if runs and runs[-1][0] == cat:
            runs[-1] = (cat, runs[-1][1], i)
        else:
            runs.append((cat, i, i))
    headers = [
        {
            "x": (start + end) / 2, "y": 1.0, "xref": "x", "yref": "paper", "yshift": shift,
            "text": f"<b>{html.escape(cat)}</b>", "showarrow": False, "font": {"size": size},
        }
        for cat, start, end in runs
    ]  # fmt: skip
    rules = [
        {
            "type": "line", "x0": start - 0.5, "x1": start - 0.5, "xref": "x",
            "y0": 0, "y1": 1, "yref": "paper", "line": {"color": "#888888", "width": 2},
        }
        for _, start, _ in runs[1:]
    ]  # fmt: skip
    return headers, rules
