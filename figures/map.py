"""The map: a pure function from one value per country to a Plotly choropleth on offline shapes.

Countries are drawn from the bundled Natural Earth geometry (`core.model.geo`), passed as `geojson`
with ISO3 ids, never fetched. Each country with data gets a text label at a point inside it
(its ISO3 code and its value), so that a score, "no evidence" and "not applicable" differ by
words and outline, not only by colour. The labels are markers of a Scattergeo trace named
'select' with customdata [ISO3, issue]: a click on a label gives Streamlit a selection event
(as on the matrix), and so opens the evidence. Countries without data are plotly.js's own base
layer (land and borders) in a warm grey: it comes from the app's static folder (`static/`, see
`ui.charts.TOPOJSON_URL`), built from the same Natural Earth outlines, so the figure
carries only the shapes of the states it colours.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from core.analysis.query import NO_EVIDENCE, NOT_APPLICABLE, SCORED, format_date
from core.model.vocabulary import STATE_MARKS, signed_score, state_words
from figures.contrast import readable_ink
from figures.options import EXPLORER, Presentation, presentation_layout
from figures.palette import (
    NOT_APPLICABLE_COLOUR,
    NOT_APPLICABLE_TEXT,
    SCORE_COLOURS,
    score_colorscale,
    score_colour,
)

SELECT = "select"
BACKGROUND_FILL = "#e6e2da"
"""Land without data (the base layer): a warm light grey, apart from the grey-white of a score 0."""
BACKGROUND_LINE = "#ffffff"
NO_EVIDENCE_FILL = "#ffffff"
NO_EVIDENCE_LINE = "#6b6b6b"
NO_EVIDENCE_TEXT = STATE_MARKS[NO_EVIDENCE]
"""Drawn on a state with no evidence, as the matrix draws a dash in such a cell."""
BORDER = "#5a5a5a"
FOCUS_LINE = "#111111"
OCEAN = "#f4f8fb"
HEIGHT = 600
LABEL_SIZE = 12


def _hover_head(row: dict) -> str:
    return f"<b>{html.escape(str(row['country_name']))}</b>"


def issue_values(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per country of a cells frame holding ONE issue: its state, score, the short
    text drawn on the map, the words of its table row and the hover text."""
    rows = []
    for row in frame.to_dict("records"):
        head = f"{_hover_head(row)} · {html.escape(str(row['issue_label']))}"
        if row.get("question"):
            question = "<br>".join(textwrap.wrap(html.escape(str(row["question"])), 60))
            head = f"{head}<br><i>{question}</i>"
        if row["state"] == SCORED:
            when = format_date(row["date"], row["date_precision"])
            summary = "<br>".join(textwrap.wrap(html.escape(str(row["summary"])), 60))
            text = signed_score(row["score"])
            words = f"{row['label']} ({text}), {when}"
            hover = f"{head}<br>{html.escape(words)}<br>{summary}"
        elif row["state"] == NO_EVIDENCE:
            text, words = NO_EVIDENCE_TEXT, state_words(NO_EVIDENCE)
            hover = f"{head}<br>{words}"
        else:
            text, words = NOT_APPLICABLE_TEXT, state_words(NOT_APPLICABLE)
            hover = f"{head}<br>{words}"
        rows.append(
            {"country": row["country"], "country_name": row["country_name"],
             "issue": row["issue"], "state": row["state"], "score": row["score"],
             "text": text, "words": words, "hover": hover}
        )  # fmt: skip
    columns = ["country", "country_name", "issue", "state", "score", "text", "words", "hover"]
    return pd.DataFrame(rows, columns=columns)


def index_values(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per country of `core.analysis.measures.alignment`: the index where it rests on enough
    issues, else 'too little evidence' (drawn like no evidence)."""
    rows = []
    for row in scores.to_dict("records"):
        basis = f"scored on {row['n_scored']} of {row['n_applicable']} applicable issues"
        if row["ranked"]:
            text = f"{row['index']:+.1f}"
            words = f"index {row['index']:+.2f}, {basis}"
            state, score = SCORED, float(row["index"])
        else:
            text, words = NO_EVIDENCE_TEXT, f"too little evidence to rank: {basis}"
            state, score = NO_EVIDENCE, float("nan")
        rows.append(
            {"country": row["country"], "country_name": row["country_name"], "issue": "",
             "state": state, "score": score, "text": text, "words": words,
             "hover": f"{_hover_head(row)}<br>{html.escape(words[0].upper() + words[1:])}"}
        )  # fmt: skip
    columns = ["country", "country_name", "issue", "state", "score", "text", "words", "hover"]
    return pd.DataFrame(rows, columns=columns)


def _fill(row: dict, index: bool) -> str:
    if row["state"] == NOT_APPLICABLE:
        return NOT_APPLICABLE_COLOUR
    if row["state"] == NO_EVIDENCE:
        return NO_EVIDENCE_FILL
    if index:
        return ""  # coloured by the continuous scale instead
    return SCORE_COLOURS[int(row["score"])]


def build_map(
    values: pd.DataFrame,
    geometry: dict,
    points: pd.DataFrame,
    *,
    view: dict,
    title: str,
    index: bool = False,
    focus: tuple[str, ...] = (),
    options: Presentation = EXPLORER,
) -> go.Figure:
    """The map of `values` (from `issue_values` or `index_values`) on `geometry` (a GeoJSON
    FeatureCollection with ISO3 ids), labelled at `points` (iso3, lon, lat), framed by `view`
    (Plotly `layout.geo` settings: projection, centre, ranges). `index` colours by the
    continuous alignment scale; `focus` outlines these ISO3 codes; presented as `options` say."""
    known = {f["id"] for f in geometry["features"]}
    values = values[values["country"].isin(known)].reset_index(drop=True)
    fig = go.Figure()
    records = values.to_dict("records")
    lines = [
        FOCUS_LINE if r["country"] in focus else
        NO_EVIDENCE_LINE if r["state"] == NO_EVIDENCE else BORDER
        for r in records
    ]  # fmt: skip
    widths = [
        3 if r["country"] in focus else 2 if r["state"] == NO_EVIDENCE else 0.8 for r in records
    ]
    customdata = [[r["country"], r["issue"]] for r in records]
    if index:
        scored = values["state"] == SCORED
        ranked = go.Choropleth(
            geojson=_only(geometry, values.loc[scored, "country"]), featureidkey="id",
            locations=values.loc[scored, "country"],
            z=values.loc[scored, "score"], zmin=-2, zmax=2, colorscale=score_colorscale(),
            colorbar={"title": {"text": "Index"}, "thickness": 12, "len": 0.6,
                      "tickvals": [-2, -1, 0, 1, 2]},
            marker_line_color=[c for c, s in zip(lines, scored, strict=True) if s],
            marker_line_width=[w for w, s in zip(widths, scored, strict=True) if s],
            text=values.loc[scored, "hover"], hovertemplate="%{text}<extra></extra>",
            customdata=[c for c, s in zip(customdata, scored, strict=True) if s],
            name="index",
        )  # fmt: skip
        fig.add_trace(ranked)
        flat = values[~scored]
    else:
        flat = values
    if len(flat):
        fills = [_fill(r, index) for r in flat.to_dict("records")]
        order = list(dict.fromkeys(fills))
        keep = flat.index
        positions = go.Choropleth(
            geojson=_only(geometry, flat["country"]), featureidkey="id", locations=flat["country"],
            z=[order.index(f) for f in fills], zmin=0, zmax=max(len(order) - 1, 1),
            colorscale=_stepped(order), showscale=False,
            marker_line_color=[lines[i] for i in keep],
            marker_line_width=[widths[i] for i in keep],
            text=flat["hover"], hovertemplate="%{text}<extra></extra>",
            customdata=[customdata[i] for i in keep], name="positions",
        )  # fmt: skip
        fig.add_trace(positions)
    labels = values.merge(points, left_on="country", right_on="iso3", how="inner")
    words = [f"<b>{c}</b> {t}" for c, t in zip(labels["country"], labels["text"], strict=True)]
    fills = [_fill(r, index) or score_colour(r["score"]) for r in labels.to_dict("records")]
    ink = [readable_ink(fill) for fill in fills]
    label_size = options.label_size or LABEL_SIZE
    targets = go.Scattergeo(
        lon=labels["lon"], lat=labels["lat"], mode="markers+text", text=words,
        textfont={"size": label_size, "color": ink},
        marker={"size": label_size * 3, "color": "rgba(255,255,255,0.01)"},
        customdata=labels[["country", "issue"]].to_numpy().tolist(),
        hovertext=labels["hover"], hovertemplate="%{hovertext}<extra></extra>",
        name=SELECT, showlegend=False,
    )  # fmt: skip
    fig.add_trace(targets)
    fig.update_geos(
        showland=True, landcolor=BACKGROUND_FILL, showcountries=True, countrycolor=BACKGROUND_LINE,
        countrywidth=0.5, showcoastlines=False, showframe=False, showocean=True, oceancolor=OCEAN,
        showlakes=False, bgcolor="rgba(0,0,0,0)", resolution=110, **view,
    )  # fmt: skip
    fig.update_layout(
        title={"text": html.escape(title)}, height=HEIGHT, margin={"l": 0, "r": 0, "t": 90, "b": 0},
        clickmode="event+select", dragmode=False, showlegend=False,
    )  # fmt: skip
    fig.update_layout(presentation_layout(options))
    return fig


def _only(geometry: dict, codes) -> dict:
    """The features of `codes` alone: each trace carries just its own shapes, so the figure sent
    to the browser holds each coloured outline once."""
    wanted = set(codes)
    return {"type": "FeatureCollection",
            "features": [f for f in geometry["features"] if f["id"] in wanted]}  # fmt: skip


def _stepped(colours: list[str]) -> list[list]:
    """A scale mapping z = 0, 1, 2… to flat bands of `colours`."""
    n = max(len(colours), 1)
    if n == 1:
        return [[0, colours[0]], [1, colours[0]]]
    scale = []
    for i, colour in enumerate(colours):
        low, high = max(i - 0.5, 0) / (n - 1), min(i + 0.5, n - 1) / (n - 1)
        scale += [[low, colour], [high, colour]]
    return scale
