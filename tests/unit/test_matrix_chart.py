"""The matrix figure: rows, columns, colours per score, hover text and the three cell states."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.analysis.query import cells
from figures.matrix import (
    MAX_TEXT_COLUMNS,
    NO_EVIDENCE_SYMBOL,
    Z_NO_EVIDENCE,
    Z_NOT_APPLICABLE,
    build_matrix,
)
from figures.palette import NO_EVIDENCE_COLOUR, NOT_APPLICABLE_COLOUR, SCORE_COLOURS

T = pd.Timestamp


def tiny_cells(**overrides) -> pd.DataFrame:
    """Three cells, one per state, as core.analysis.query.cells returns them."""
    base = {
        "country": ["KAZ", "KAZ", "RUS"],
        "issue": ["a", "b", "a"],
        "state": ["scored", "no_evidence", "not_applicable"],
        "stance": ["yes", None, None],
        "label": ["Yes", None, None],
        "score": [2.0, None, None],
        "date": [T("2022-03-02"), pd.NaT, pd.NaT],
        "date_precision": ["day", None, None],
        "confidence": ["high", None, None],
        "summary": ["Voted yes.", None, None],
        "country_name": ["Kazakhstan", "Kazakhstan", "Russia"],
        "issue_label": ["Issue A", "Issue B", "Issue A"],
        "category": ["UN votes", "Domestic", "UN votes"],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def heatmap(fig):
    return next(t for t in fig.data if t.type == "heatmap")


def clickable(fig):
    return next(t for t in fig.data if t.name == "select")


def test_rows_and_columns_follow_the_given_order():
    fig = build_matrix(tiny_cells(), countries=["KAZ", "RUS"], issues=["a", "b"])
    assert list(fig.layout.yaxis.ticktext) == ["Kazakhstan", "Russia"]
    assert list(fig.layout.xaxis.ticktext) == ["Issue A", "Issue B"]
    assert np.shape(heatmap(fig).z) == (2, 2)


def test_three_states_get_distinct_codes_and_text():
    fig = build_matrix(tiny_cells(), countries=["KAZ", "RUS"], issues=["a", "b"])
    z, text = heatmap(fig).z, heatmap(fig).text
    assert z[0][0] == 2 and text[0][0] == "Yes"
    assert z[0][1] == Z_NO_EVIDENCE and text[0][1] == ""
    marks = clickable(fig).marker
    assert marks.symbol[1] == NO_EVIDENCE_SYMBOL  # a dash, so not told apart by colour alone
    assert marks.symbol[0] == marks.symbol[2] == "square"
    assert z[1][0] == Z_NOT_APPLICABLE and text[1][0] == "n/a"
    assert z[1][1] != z[1][1]  # NaN: RUS x b is not in the frame at all


@pytest.mark.parametrize("score", [-2, -1, 0, 1, 2])
def test_each_score_maps_to_its_colour(score):
    scale = heatmap(build_matrix(tiny_cells(), countries=["KAZ"], issues=["a"])).colorscale
    zmin, zmax = -2.5, 4.5
    position = (score - zmin) / (zmax - zmin)
    band = [
        c for (lo, c), (hi, _) in zip(scale[::2], scale[1::2], strict=True) if lo <= position <= hi
    ]
    assert band[0] == SCORE_COLOURS[score]


def test_unscored_states_have_their_own_colours():
    scale = [
        c
        for _, c in heatmap(build_matrix(tiny_cells(), countries=["KAZ"], issues=["a"])).colorscale
    ]
    assert NO_EVIDENCE_COLOUR in scale and NOT_APPLICABLE_COLOUR in scale
    assert SCORE_COLOURS[0] != NO_EVIDENCE_COLOUR


def test_legend_is_in_words():
    fig = build_matrix(tiny_cells(), countries=["KAZ"], issues=["a"])
    names = [t.name for t in fig.data if t.showlegend is not False and t.type == "scatter"]
    assert any(n.startswith("+2 Open distancing") for n in names)
    assert any(n.startswith("-2 Siding with Moscow") for n in names)
    assert any(n.startswith("– No evidence") for n in names)
    assert any(n.startswith("n/a Not applicable") for n in names)


def test_clickable_points_carry_the_cell_and_hover_text():
    fig = build_matrix(tiny_cells(), countries=["KAZ", "RUS"], issues=["a", "b"])
    points = clickable(fig)
    assert [list(c) for c in points.customdata] == [["KAZ", "a"], ["KAZ", "b"], ["RUS", "a"]]
    assert "Voted yes." in points.hovertext[0] and "2 Mar 2022" in points.hovertext[0]
    assert "No evidence" in points.hovertext[1]
    assert "Not applicable" in points.hovertext[2]


@pytest.mark.parametrize(("score", "words"), [(2.0, "Yes (score +2)"), (0.0, "Yes (score 0)")])
def test_hover_writes_the_score_as_the_tables_do(score, words):
    frame = tiny_cells(score=[score, None, None])
    hover = clickable(build_matrix(frame, countries=["KAZ", "RUS"], issues=["a", "b"])).hovertext
    assert words in hover[0] and "+0" not in hover[0]


def test_hover_says_what_the_issue_asks():
    frame = tiny_cells(question=["How did it vote on ES-11/4, <Territorial integrity>?"] * 3)
    hover = clickable(build_matrix(frame, countries=["KAZ", "RUS"], issues=["a", "b"])).hovertext
    assert all("ES-11/4, &lt;Territorial integrity&gt;?" in h for h in hover)


def test_text_from_data_is_escaped():
    frame = tiny_cells(
        summary=["<script>alert(1)</script>", None, None],
        label=["<b>x</b>", None, None],
        country_name=["<img src=x onerror=alert(1)>", "K", "R"],
    )
    fig = build_matrix(frame, countries=["KAZ", "RUS"], issues=["a", "b"])
    hover = clickable(fig).hovertext[0]
    assert "<script>" not in hover and "&lt;script&gt;" in hover
    assert "<img" not in hover
    assert heatmap(fig).text[0][0] == "&lt;b&gt;x&lt;/b&gt;"


def test_category_headers_and_separators():
    fig = build_matrix(tiny_cells(), countries=["KAZ", "RUS"], issues=["a", "b"])
    headers = [a.text for a in fig.layout.annotations]
    assert headers == ["<b>UN votes</b>", "<b>Domestic</b>"]
    assert [s.x0 for s in fig.layout.shapes] == [0.5]


def test_bundled_matrix_has_eleven_rows_and_every_issue(dataset):
    countries, issues = list(dataset.countries["iso3"]), list(dataset.issues["id"])
    fig = build_matrix(cells(dataset, T("2025-02-24")), countries=countries, issues=issues)
    assert np.shape(heatmap(fig).z) == (11, len(issues))
    assert len(clickable(fig).customdata) == 11 * len(issues)


def test_focus_outlines_focus_cells_and_veils_the_rest():
    fig = build_matrix(
        tiny_cells(), countries=["KAZ", "RUS"], issues=["a", "b"], focus=[("KAZ", "a")]
    )
    veil = next(t for t in fig.data if t.name == "dim")
    assert veil.z[0][0] is None and veil.z[0][1] == 1 and veil.z[1][0] == 1
    outlines = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(s.x0, s.y0) for s in outlines] == [(-0.5, -0.5)]


def test_wide_matrices_drop_cell_words_but_keep_shapes():
    issues = [f"i{n}" for n in range(MAX_TEXT_COLUMNS + 1)]
    frame = tiny_cells(
        country=["KAZ", "KAZ", "RUS"], issue=["i0", "i1", "i0"],
        issue_label=["I0", "I1", "I0"],
    )  # fmt: skip
    fig = build_matrix(frame, countries=["KAZ", "RUS"], issues=issues)
    assert heatmap(fig).texttemplate == ""
    symbols = list(clickable(fig).marker.symbol)
    assert symbols == ["square", NO_EVIDENCE_SYMBOL, "line-ne-open"]


def test_a_matrix_at_the_limit_keeps_its_cell_words():
    issues = [f"i{n}" for n in range(MAX_TEXT_COLUMNS)]
    frame = tiny_cells(issue=["i0", "i1", "i0"], issue_label=["I0", "I1", "I0"])
    fig = build_matrix(frame, countries=["KAZ", "RUS"], issues=issues)
    assert heatmap(fig).texttemplate != ""
