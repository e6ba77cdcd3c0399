"""Swimlanes of observations over time: one lane per country, markers by score and category.

An approximate date is drawn hollow; a date known only to the month is hollow with a bar over the
month; context events are dotted vertical lines labelled at the top.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from core.analysis.query import format_date
from core.model.vocabulary import stance_words
from figures.options import (
    EXPLORER,
    MIN_TEXT_SIZE,
    TIGHT_MARGIN,
    Presentation,
    presentation_layout,
)
from figures.palette import SCORE_COLOURS, score_words

SYMBOLS = ["circle", "square", "diamond", "triangle-up", "star", "hexagon", "pentagon", "cross"]
STACK_ROWS = 3
ROW_STEP = 0.28
LANE_HEIGHT = 64
PERIODS = {
    "Feb–Apr 2022": (pd.Timestamp("2022-02-14"), pd.Timestamp("2022-04-15")),
    "2022–2023": (pd.Timestamp("2022-01-01"), pd.Timestamp("2023-03-31")),
    "All dates": None,
}
DEFAULT_PERIOD = "Feb–Apr 2022"
DIMMED = 0.15  # opacity of markers outside a presenter's focus
HOLLOW_ZERO = "#777777"  # the 0 colour is too pale to outline a hollow marker
TOP_MARGIN = 110
COMPACT_TOP_MARGIN = 60
"""The least room above the lanes, in pixels; more when the title and event labels need it."""
MARKER_SIZE = 13
BOTTOM_MARGIN = 120
"""Room under the lanes for the date axis and the legend, in pixels."""
EVENT_ROWS = 5
"""Event labels are written flat in up to this many rows above the lanes; a label that finds
no room in any row is left out (its dotted line stays)."""
EVENT_LABEL_SIZE = MIN_TEXT_SIZE
"""Event labels in pixels when the options set no type size."""
CHAR_WIDTH = 0.55
"""The width of one character in ems, a little wider than the fonts used, so estimates err wide."""
LINE_HEIGHT = 1.5
"""One row of event labels, in ems."""
FIGURE_WIDTH = 1100
"""The figure's width in pixels assumed for placing event labels when the options give none."""
LANES_SHARE = 0.8
"""The share of the figure's width the lanes take (the rest: country names and margins)."""


def period_range(
    period: str | None, first: pd.Timestamp, last: pd.Timestamp
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates a named period covers; 'All dates' (or none) spans the data with a margin."""
    span = PERIODS.get(period or "All dates")
    return span or (first - pd.Timedelta(days=20), last + pd.Timedelta(days=40))


def category_symbols(categories: list[str]) -> dict[str, str]:
    """A distinct marker symbol per category, in the order given."""
    return {c: SYMBOLS[i % len(SYMBOLS)] for i, c in enumerate(categories)}


def _span(row: pd.Series) -> tuple[float, float]:
    """Days before and after the date that the observation may fall in."""
    if row["date_precision"] == "month":
        return 0.0, float(row["date"].days_in_month - 1)
    return 0.0, 0.0


def _hover(row: pd.Series) -> str:
    summary = "<br>".join(textwrap.wrap(html.escape(str(row["summary"])), 60))
    return (
        f"<b>{html.escape(str(row['country_name']))} · {html.escape(str(row['issue_label']))}</b>"
        f"<br>{format_date(row['date'], row['date_precision'])} · "
        f"{html.escape(stance_words(row['label'], row['score']))}<br>{summary}"
        "<br><i>Click for the evidence</i>"
    )


def dodge(obs: pd.DataFrame, countries: list[str], day_step: float) -> pd.DataFrame:
    """x and y of each marker: same-day markers of a country stack in up to three rows, then
    further columns a fraction of a day apart, so that none hides another."""
    if obs.empty:  # nothing to place (arithmetic on empty groups loses the column types)
        return pd.DataFrame({"x": obs["date"], "y": pd.Series(dtype=float)}, index=obs.index)
    lane = obs["country"].map({c: i for i, c in enumerate(countries)})
    group = obs.groupby(["country", "date"])
    i = group.cumcount()
    n = group["date"].transform("size")
    rows = n.clip(upper=STACK_ROWS)
    y = lane + ((i % STACK_ROWS) - (rows - 1) / 2) * ROW_STEP
    x = obs["date"] + pd.to_timedelta((i // STACK_ROWS) * day_step, unit="D")
    return pd.DataFrame({"x": x, "y": y}, index=obs.index)


def build_timeline(
    obs: pd.DataFrame,
    events: pd.DataFrame,
    *,
    countries: list[str],
    categories: list[str],
    date_range: tuple[pd.Timestamp, pd.Timestamp],
    title: str,
    focus: list[tuple[str, str]] | None = None,
    options: Presentation = EXPLORER,
) -> go.Figure:
    """Timeline figure of observations `obs` (core.analysis.query.observations with names and
    categories), presented as `options` say."""
    obs = obs[obs["country"].isin(countries) & obs["category"].isin(categories)].copy()
    day_step = max((date_range[1] - date_range[0]).days / 80, 0.5)
    obs[["x", "y"]] = dodge(obs, countries, day_step)
    obs["exact"] = obs["date_precision"] == "day"
    symbols = category_symbols(categories)
    fig = go.Figure()
    _add_spans(fig, obs[obs["date_precision"] == "month"])
    for (category, exact), group in obs.groupby(["category", "exact"], sort=False):
        symbol = symbols[category] + ("" if exact else "-open")
        colours = [SCORE_COLOURS[int(s)] for s in group["score"]]
        keys = list(zip(group["country"], group["issue"], strict=True))
        opacity = [1.0 if not focus or k in focus else DIMMED for k in keys]
        outline = [
            HOLLOW_ZERO if int(s) == 0 else c for s, c in zip(group["score"], colours, strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=group["x"],
                y=group["y"],
                mode="markers",
                marker={
                    "symbol": symbol,
                    "size": options.marker_size or MARKER_SIZE,
                    "opacity": opacity,
                    # an open symbol is stroked with marker.color, so hollow markers get the outline
                    "color": colours if exact else outline,
                    "line": {
                        "color": "#333333" if exact else outline,
                        "width": 1 if exact else 2.5,
                    },
                },
                customdata=group[["country", "issue"]].values,
                hovertext=group.apply(_hover, axis=1),
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
                name=f"{category} ({'exact' if exact else 'imprecise'} date)",
            )
        )
    _add_legend(fig, symbols)
    if "country" in events.columns:  # a country's own events only when its lane is shown
        events = events[events["country"].fillna("").isin(["", *countries])]
    label_room = _add_events(fig, events, date_range, options)
    names = obs.drop_duplicates("country").set_index("country")["country_name"]
    compact = (COMPACT_TOP_MARGIN, TIGHT_MARGIN)
    top, bottom = compact if options.compact else (TOP_MARGIN, BOTTOM_MARGIN)
    top = max(top, title_room(options) + label_room)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "y": 0.99, "yref": "container"},
        height=max(top, TOP_MARGIN) + LANE_HEIGHT * max(len(countries), 1) + BOTTOM_MARGIN,
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
        hovermode="closest",
        clickmode="event+select",
        # under the date axis whatever the number of lanes: placed from the bottom of the figure
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        xaxis={"range": list(date_range), "type": "date", "showgrid": True},
        yaxis={
            "tickvals": list(range(len(countries))),
            "ticktext": [html.escape(str(names.get(c, c))) for c in countries],
            "range": [len(countries) - 0.5, -0.5],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
    )
    for i in range(1, len(countries)):
        fig.add_hline(y=i - 0.5, line={"color": "#bbbbbb", "width": 1})
    fig.update_layout(presentation_layout(options))
    return fig


def _add_spans(fig: go.Figure, obs: pd.DataFrame) -> None:
    """A grey bar over the days an imprecise date may fall in (error bars fail on date axes)."""
    xs: list = []
    ys: list = []
    for row in obs.itertuples(index=False):
        before, after = _span(pd.Series({"date": row.date, "date_precision": row.date_precision}))
        xs += [row.date - pd.Timedelta(days=before), row.date + pd.Timedelta(days=after), None]
        ys += [row.y, row.y, None]
    fig.add_trace(
        go.Scatter(
            x=xs, y=ys, mode="lines", line={"color": "#9a9a9a", "width": 2},
            hoverinfo="skip", showlegend=False, name="date spans",
        )
    )  # fmt: skip


def _add_legend(fig: go.Figure, symbols: dict[str, str]) -> None:
    """Legend entries in words: score colours, category shapes, and what hollow means."""
    entries = [(score_words(s), "circle", SCORE_COLOURS[s]) for s in (2, 1, 0, -1, -2)]
    entries += [(html.escape(c), sym, "#888888") for c, sym in symbols.items()]
    entries.append(
        (
            "Hollow: approximate date; with a bar: known only to the month (the bar spans it)",
            "circle-open",
            "#555555",
        )
    )
    for name, symbol, colour in entries:
        fig.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="markers", name=name, hoverinfo="skip",
                marker={"symbol": symbol, "size": 11, "color": colour,
                        "line": {"color": "#333333", "width": 1}},
            )
        )  # fmt: skip


def title_room(options: Presentation) -> int:
    """Pixels above the event labels for the title and the source line under it."""
    return round(6 * (options.font_size or EVENT_LABEL_SIZE))


def label_span(label: str, size: float, days_per_px: float) -> float:
    """How many days of the axis a label written flat at `size` pixels takes (estimated wide)."""
    return len(label) * CHAR_WIDTH * size * days_per_px


def place_labels(
    days: list[float], spans: list[float], end: float, gap: float, rows: int = EVENT_ROWS
) -> list[tuple[int, float] | None]:
    """Where each label goes: (row, left edge in days), or None when no row has room. Labels
    are placed in the order given, so earlier ones win. A label starts at its day, or else ends
    there; it stays inside 0..`end` and keeps `gap` days from the others in its row. Lower rows
    are tried first."""
    placed: list[tuple[int, float] | None] = []
    taken: list[list[tuple[float, float]]] = [[] for _ in range(rows)]
    for day, span in zip(days, spans, strict=True):
        lefts = [left for left in (day, day - span) if left >= 0 and left + span <= end]
        spot = next(
            (
                (row, left)
                for row in range(rows)
                for left in lefts
                if all(left + span + gap <= a or b + gap <= left for a, b in taken[row])
            ),
            None,
        )
        placed.append(spot)
        if spot is not None:
            taken[spot[0]].append((spot[1], spot[1] + span))
    return placed


def _add_events(
    fig: go.Figure,
    events: pd.DataFrame,
    date_range: tuple[pd.Timestamp, pd.Timestamp],
    options: Presentation,
) -> int:
    """Dotted vertical lines for events in range, labelled flat in staggered rows above the
    lanes (place_labels); returns the pixels the rows take. The caller passes only the events
    of the countries shown and those concerning all."""
    start, end = date_range
    shown = events[(events["date"] >= start) & (events["date"] <= end)]
    # a country's own events are labelled first: on its lane they say more than the general ones
    own = shown["country"].fillna("").ne("") if "country" in shown.columns else False
    shown = shown.assign(own=own).sort_values(["own", "date"], ascending=[False, True])
    size = options.font_size or EVENT_LABEL_SIZE
    days_per_px = (end - start).days / (LANES_SHARE * (options.width or FIGURE_WIDTH))
    labels = [str(label) for label in shown["label"]]
    days = [(d - start).days for d in shown["date"]]
    spans = [label_span(text, size, days_per_px) for text in labels]
    spots = place_labels(days, spans, (end - start).days, label_span(" ", size, days_per_px))
    row_height = round(LINE_HEIGHT * size)
    used = 0
    for date, day, text, spot in zip(shown["date"], days, labels, spots, strict=True):
        fig.add_vline(x=date, line={"color": "#888888", "width": 1, "dash": "dot"})
        if spot is None:
            continue
        row, left = spot
        used = max(used, row + 1)
        fig.add_annotation(
            x=date, y=1, xref="x", yref="paper", yanchor="bottom", yshift=2 + row * row_height,
            text=html.escape(text), showarrow=False, font={"size": size},
            xanchor="left" if left >= day else "right",
        )  # fmt: skip
    return used * row_height + 4 if used else 0
