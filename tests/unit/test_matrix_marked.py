"""The matrix marks the cell whose evidence is open with an outline, and dims nothing."""

from __future__ import annotations

import pytest

from figures.matrix import FOCUS_OUTLINE, build_matrix
from figures.options import CONTRAST_FOCUS, PRESENTER, Presentation
from tests.unit.test_matrix_chart import tiny_cells


def rects(fig):
    return [s for s in fig.layout.shapes if s.type == "rect"]


@pytest.mark.parametrize(
    ("marked", "centre"), [(("KAZ", "a"), (0, 0)), (("KAZ", "b"), (1, 0)), (("RUS", "a"), (0, 1))]
)
def test_the_marked_cell_is_outlined_and_nothing_is_dimmed(marked, centre):
    fig = build_matrix(tiny_cells(), countries=["KAZ", "RUS"], issues=["a", "b"], marked=marked)
    [outline] = rects(fig)
    assert (outline.x0 + 0.5, outline.y0 + 0.5) == centre
    assert outline.line.color == FOCUS_OUTLINE
    assert [t.name for t in fig.data if t.name == "dim"] == []


@pytest.mark.parametrize("marked", [None, ("UZB", "a"), ("KAZ", "zzz")])
def test_no_outline_for_no_cell_or_a_cell_not_shown(marked):
    fig = build_matrix(tiny_cells(), countries=["KAZ", "RUS"], issues=["a", "b"], marked=marked)
    assert rects(fig) == []


def test_in_high_contrast_the_mark_is_the_yellow_focus_colour():
    options = Presentation(**{**PRESENTER.__dict__, "high_contrast": True})
    fig = build_matrix(
        tiny_cells(), countries=["KAZ"], issues=["a"], marked=("KAZ", "a"), options=options
    )
    assert [r.line.color for r in rects(fig)] == [CONTRAST_FOCUS]
