"""Timeline event labels: flat, staggered in rows above the lanes, thinned when no row has
room, and never overlapping each other or the title and source line above them."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from figures.options import EXPLORER, PRESENTER, Presentation, scaled
from figures.timeline import (
    CHAR_WIDTH,
    EVENT_LABEL_SIZE,
    EVENT_ROWS,
    FIGURE_WIDTH,
    LANE_HEIGHT,
    LANES_SHARE,
    build_timeline,
    label_span,
    place_labels,
    title_room,
)
from tests.unit.test_charts import obs

T = pd.Timestamp
RANGE = (T("2022-02-14"), T("2022-04-07"))
CROWD = pd.DataFrame(  # the story's crowded weeks: four events within eight days, twice
    {
        "date": [T(d) for d in ("2022-02-21", "2022-02-24", "2022-02-26", "2022-03-02",
                                 "2022-03-18", "2022-03-24", "2022-03-25", "2022-04-06")],
        "label": ["Russia recognises DPR and LPR", "Russia's full-scale invasion",
                  "Western sanctions on Russia", "UNGA adopts ES-11/1",
                  "Kyrgyz deputy premier on state TV", "UNGA adopts ES-11/2",
                  "Another event the same week", "Late event near the axis end"],
    }
)  # fmt: skip
OPTIONS = {
    "explorer": EXPLORER,
    "presenter 1280x720": Presentation(**{**PRESENTER.__dict__, "width": 700}),
    "presenter 1920x1080": scaled(Presentation(**{**PRESENTER.__dict__, "width": 700}), 1.5),
}
each_options = pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())


def labelled(options: Presentation, events: pd.DataFrame = CROWD):
    fig = build_timeline(
        obs(), events, countries=["KAZ", "UZB"], categories=["UN votes", "Economy"],
        date_range=RANGE, title="t", options=options,
    )  # fmt: skip
    return fig, [a for a in fig.layout.annotations if a.yref == "paper" and a.xref == "x"]


def extent(annotation, options: Presentation) -> tuple[float, float]:
    """Days from the range's start that a label covers, by the builder's own width rule."""
    days_per_px = (RANGE[1] - RANGE[0]).days / (LANES_SHARE * (options.width or FIGURE_WIDTH))
    span = label_span(annotation.text, annotation.font.size, days_per_px)
    day = (T(annotation.x) - RANGE[0]).days
    return (day, day + span) if annotation.xanchor == "left" else (day - span, day)


@pytest.mark.parametrize(
    ("days", "spans", "expected"),
    [
        ([0, 10, 20], [5, 5, 5], [(0, 0), (0, 10), (0, 20)]),  # apart: one row
        ([0, 2, 4], [5, 5, 5], [(0, 0), (1, 2), (2, 4)]),  # close: stacked
        ([0, 1, 2, 3], [5, 5, 5, 5], [(0, 0), (1, 1), (2, 2), None]),  # no row left: thinned
        ([0, 28], [5, 5], [(0, 0), (0, 23)]),  # near the end: ends at its day
    ],
)
def test_place_labels_stacks_then_thins(days, spans, expected):
    assert place_labels(days, spans, end=30, gap=0.5, rows=3) == expected


@each_options
def test_labels_in_one_row_never_overlap(options):
    _fig, labels = labelled(options)
    assert 0 < len(labels) <= len(CROWD)
    rows = {a.yshift for a in labels}
    assert len(rows) <= EVENT_ROWS
    for shift in rows:
        row = sorted(extent(a, options) for a in labels if a.yshift == shift)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(row)), row


@each_options
def test_labels_stay_inside_the_axis_and_are_written_flat(options):
    _, labels = labelled(options)
    span = (RANGE[1] - RANGE[0]).days
    for a in labels:
        left, right = extent(a, options)
        assert left >= -1e-9 and right <= span + 1e-9, a.text
        assert a.textangle in (None, 0)


@each_options
def test_the_rows_sit_between_the_lanes_and_the_title(options):
    fig, labels = labelled(options)
    size = options.font_size or EVENT_LABEL_SIZE
    top_row = max(a.yshift for a in labels) + 1.5 * size  # the top edge of the highest row
    assert fig.layout.margin.t - top_row >= title_room(options)
    assert {a.font.size for a in labels} == {size}


def test_the_1080p_presenter_writes_labels_at_least_18px():
    _, labels = labelled(OPTIONS["presenter 1920x1080"])
    assert labels and min(a.font.size for a in labels) >= 18


def test_a_wider_screen_keeps_at_least_as_many_labels():
    narrow = len(labelled(Presentation(font_size=15, width=500))[1])
    wide = len(labelled(Presentation(font_size=15, width=1500))[1])
    assert narrow < wide


def test_the_character_width_errs_wide():
    assert CHAR_WIDTH >= 0.55  # Source Sans and DejaVu Sans average well under this


@pytest.mark.parametrize("countries", [["KAZ"], ["KAZ", "UZB"]])
def test_the_label_rows_take_their_room_from_the_figure_not_from_the_lanes(countries):
    fig = build_timeline(
        obs(), CROWD, countries=countries, categories=["UN votes", "Economy"],
        date_range=RANGE, title="t",
    )  # fmt: skip
    layout = fig.layout
    assert layout.height - layout.margin.t - layout.margin.b >= LANE_HEIGHT * len(countries)
