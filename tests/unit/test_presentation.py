"""Presentation options: every builder applies them itself (type sizes, height, legend,
margins, flat labels, high contrast and focus styling), and the default changes nothing."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from core.analysis.measures import agreement, alignment, shared_counts
from figures.agreement import build_agreement
from figures.alignment import build_alignment
from figures.map import build_map, issue_values
from figures.matrix import (
    COMPACT_HEADER,
    DIM_COLOUR,
    FLAT_HEADER,
    FLAT_HEADER_SHIFT,
    FOCUS_OUTLINE,
    HEADER_HEIGHT,
    HEADER_SHIFT,
    build_matrix,
)
from figures.options import (
    CONTRAST_FOCUS,
    CONTRAST_INK,
    CONTRAST_PAPER,
    CONTRAST_VEIL,
    EXPLORER,
    PRESENTER,
    TIGHT_MARGIN,
    Presentation,
    merged,
    presentation_layout,
    scaled,
)
from figures.timeline import COMPACT_TOP_MARGIN, TOP_MARGIN, build_timeline
from tests.unit.test_charts import EVENTS, RANGE, obs
from tests.unit.test_map_chart import GEOMETRY, POINTS, VIEW
from tests.unit.test_map_chart import cells as map_cells
from tests.unit.test_matrix_chart import tiny_cells

FOCUS = [("KAZ", "a")]


def matrix(options: Presentation, issues=("a", "b")):
    return build_matrix(
        tiny_cells(), countries=["KAZ", "RUS"], issues=list(issues), focus=FOCUS, options=options
    )


def timeline(options: Presentation):
    return build_timeline(
        obs(), EVENTS, countries=["KAZ", "UZB"], categories=["UN votes", "Economy"],
        date_range=RANGE, title="t", focus=FOCUS, options=options,
    )  # fmt: skip


def map_(options: Presentation):
    values = issue_values(map_cells())
    return build_map(values, GEOMETRY, POINTS, view=VIEW, title="t", options=options)


def agreement_(options: Presentation):
    frame = tiny_cells(country=["KAZ", "RUS", "RUS"], issue=["a", "a", "b"])
    frame["state"] = "scored"
    frame["score"] = [2.0, -2.0, 1.0]
    shown = ["KAZ", "RUS"]
    return build_agreement(
        agreement(frame, shown), shared_counts(frame, shown), {}, title="t", options=options
    )


def alignment_(options: Presentation):
    frame = tiny_cells(state=["scored"] * 3, score=[2.0, 1.0, -2.0])
    scores = alignment(frame, pd.Series(1.0, index=["a", "b"]), 1)
    return build_alignment(scores, title="t", min_scored=1, options=options)


BUILDERS = {
    "matrix": matrix,
    "timeline": timeline,
    "map": map_,
    "agreement": agreement_,
    "alignment": alignment_,
}
every_builder = pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())


@every_builder
def test_the_explorer_default_sets_no_presentation_keys(build):
    layout = build(EXPLORER).layout
    assert layout.font.size is None and layout.font.color is None
    assert layout.paper_bgcolor is None and layout.yaxis.tickfont.size is None
    assert layout.yaxis.automargin is None and layout.xaxis.automargin is None


@every_builder
def test_high_contrast_is_white_on_black(build):
    layout = build(Presentation(high_contrast=True)).layout
    assert layout.paper_bgcolor == layout.plot_bgcolor == CONTRAST_PAPER
    assert layout.font.color == CONTRAST_INK
    assert layout.xaxis.tickfont.color == layout.yaxis.tickfont.color == CONTRAST_INK


@every_builder
def test_type_sizes_and_height_are_the_options(build):
    layout = build(Presentation(font_size=21, tick_size=23, height=345)).layout
    assert layout.font.size == 21 and layout.yaxis.tickfont.size == 23
    assert layout.height == 345


@every_builder
def test_legend_false_hides_the_legend(build):
    assert build(Presentation(legend=False)).layout.showlegend is False


@pytest.mark.parametrize("build", [matrix, timeline], ids=["matrix", "timeline"])
def test_the_legend_shows_by_default(build):
    assert build(EXPLORER).layout.showlegend is not False


@every_builder
def test_compact_lets_axes_grow_their_margin_to_fit_labels(build):
    layout = build(Presentation(compact=True)).layout
    assert layout.xaxis.automargin is True and layout.yaxis.automargin is True


@pytest.mark.parametrize(
    ("build", "roomy", "tight"),
    [(matrix, HEADER_HEIGHT, COMPACT_HEADER), (timeline, TOP_MARGIN, COMPACT_TOP_MARGIN)],
    ids=["matrix", "timeline"],
)
def test_compact_tightens_the_margins(build, roomy, tight):
    assert build(EXPLORER).layout.margin.t == roomy
    compact = build(Presentation(compact=True)).layout.margin
    assert tight <= compact.t < roomy and compact.b == TIGHT_MARGIN


@pytest.mark.parametrize(("flat_labels", "flat"), [(0, False), (1, False), (2, True), (4, True)])
def test_few_matrix_columns_get_flat_labels_and_a_lower_header(flat_labels, flat):
    layout = matrix(Presentation(flat_labels=flat_labels), issues=("a", "b")).layout
    assert layout.xaxis.tickangle == (0 if flat else -45)
    assert {a.yshift for a in layout.annotations} == {FLAT_HEADER_SHIFT if flat else HEADER_SHIFT}
    assert layout.margin.t == (FLAT_HEADER if flat else HEADER_HEIGHT)


def test_label_size_sizes_the_matrix_cell_words():
    cells_ = next(t for t in matrix(Presentation(label_size=17)).data if t.name == "cells")
    assert cells_.textfont.size == 17
    assert next(t for t in matrix(EXPLORER).data if t.name == "cells").textfont.size < 17


def test_label_size_sizes_the_map_labels_and_their_click_targets():
    select = next(t for t in map_(Presentation(label_size=17)).data if t.name == "select")
    assert select.textfont.size == 17 and select.marker.size == 3 * 17


def test_marker_size_sizes_the_timeline_observations():
    fig = timeline(Presentation(marker_size=19))
    observed = [t for t in fig.data if t.customdata is not None]
    assert observed and {t.marker.size for t in observed} == {19}


@pytest.mark.parametrize(
    ("high_contrast", "veil", "outline"),
    [(False, DIM_COLOUR, FOCUS_OUTLINE), (True, CONTRAST_VEIL, CONTRAST_FOCUS)],
)
def test_matrix_focus_veil_and_outline_follow_the_contrast(high_contrast, veil, outline):
    fig = matrix(Presentation(high_contrast=high_contrast))
    dim = next(t for t in fig.data if t.name == "dim")
    assert {colour for _, colour in dim.colorscale} == {veil}
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == len(FOCUS) and {s.line.color for s in rects} == {outline}


def test_presenter_is_large_type_without_legend_and_frozen():
    assert PRESENTER.font_size > 12 and not PRESENTER.legend and PRESENTER.compact
    assert dataclasses.replace(PRESENTER, high_contrast=True).high_contrast
    with pytest.raises(dataclasses.FrozenInstanceError):
        PRESENTER.height = 1  # type: ignore[misc]


@pytest.mark.parametrize("factor", [0.75, 1.5, 2.0])
def test_scaled_multiplies_every_size_and_keeps_the_rest(factor):
    big = scaled(dataclasses.replace(PRESENTER, width=700, high_contrast=True), factor)
    assert big.font_size == round(PRESENTER.font_size * factor)
    assert big.height == round(PRESENTER.height * factor) and big.width == round(700 * factor)
    assert big.marker_size == round(PRESENTER.marker_size * factor)
    assert (big.legend, big.compact, big.flat_labels, big.high_contrast) == (False, True, 4, True)
    assert scaled(EXPLORER, factor) == EXPLORER


def test_presenter_x_axis_labels_take_the_base_type_size_and_the_title_a_larger_one():
    layout = presentation_layout(PRESENTER)
    assert layout["xaxis"]["tickfont"]["size"] == PRESENTER.font_size
    assert layout["title"]["font"]["size"] > PRESENTER.font_size


@pytest.mark.parametrize("size", [12, 18, 24])
def test_larger_type_grows_the_matrix_header_and_its_category_names(size):
    layout = matrix(Presentation(font_size=size, compact=True), issues=("a", "b", "c")).layout
    assert {a.font.size for a in layout.annotations} == {size}
    assert {a.yshift for a in layout.annotations} == {round(HEADER_SHIFT * size / 12)}
    assert layout.margin.t == round(COMPACT_HEADER * size / 12)


def test_label_size_sizes_the_agreement_numbers():
    assert agreement_(Presentation(label_size=21)).data[0].textfont.size == 21


def test_explorer_adds_no_layout_keys_and_merging_keeps_what_it_does_not_set():
    assert presentation_layout(EXPLORER) == {}
    base = {"xaxis": {"tickangle": -45, "tickfont": {"size": 11}}, "height": 300}
    extra = presentation_layout(Presentation(high_contrast=True, height=400))
    out = merged(base, extra)
    assert out["xaxis"] == {"tickangle": -45, "tickfont": {"size": 11, "color": CONTRAST_INK}}
    assert out["height"] == 400 and base["height"] == 300
