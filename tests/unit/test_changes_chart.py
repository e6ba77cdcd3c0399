"""The chart of moves on What changed, read from its spec."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.analysis.measures import changes
from core.model.vocabulary import signed_score
from figures.changes import AWAY, TOWARD, build_changes
from figures.options import PRESENTER
from figures.palette import SCORE_COLOURS

NAN = float("nan")


def frame(*rows) -> pd.DataFrame:
    """A `changes` frame: (country, name, issue, order, score_start, score, path) rows."""
    cols = ["country", "country_name", "issue", "issue_order", "score_start", "score", "path"]
    out = pd.DataFrame(rows, columns=cols)
    return out.assign(issue_label=out["issue"].str.title())


ROWS = frame(
    ("KGZ", "Kyrgyzstan", "protests", 2, 1, -1, "no evidence → Allowed → Banned"),
    ("KAZ", "Kazakhstan", "troops", 1, 0, 2, "Silent → Refused"),
    ("KAZ", "Kazakhstan", "votes", 0, 1, 1, "no evidence → Abstain"),
    ("UZB", "<b>Uz</b>", "media", 3, NAN, NAN, "Restricts → no evidence"),
)


def trace(fig, name):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, [t.name for t in fig.data]
    return found[0]


def segments(t) -> list[tuple]:
    """(start, end, y) of each line in a trace of lines separated by gaps."""
    xs, ys = list(t.x), list(t.y)
    return [(xs[i], xs[i + 1], ys[i]) for i in range(0, len(xs), 3)]


def test_each_move_is_a_line_from_its_start_to_its_end_coloured_by_direction():
    fig = build_changes(ROWS, title="Moves")
    away = trace(fig, "Moved away from Moscow's line")
    toward = trace(fig, "Moved toward Moscow's line")
    assert (away.line.color, toward.line.color) == (AWAY, TOWARD)
    assert [s[:2] for s in segments(away)] == [(0, 2)]  # Kazakhstan's troops
    assert [s[:2] for s in segments(toward)] == [(1, -1)]  # Kyrgyzstan's protests
    assert list(trace(fig, "Where it started").x) == [0, 1]  # only cells that moved


def test_the_legend_names_the_dots_in_grey_as_they_take_every_scores_colour():
    fig = build_changes(ROWS, title="Moves")
    assert trace(fig, "Where it stands at the end").showlegend is False
    entry = trace(fig, "Where it stands at the end (coloured by score)")
    assert entry.marker.color not in SCORE_COLOURS.values()


def test_every_scored_cell_has_its_end_dot_in_its_countrys_band():
    fig = build_changes(ROWS, title="Moves")
    end = trace(fig, "Where it stands at the end")
    assert [tuple(c) for c in end.customdata] == [("KAZ", "votes"), ("KAZ", "troops"),
                                                  ("KGZ", "protests")]  # fmt: skip
    assert list(end.x) == [1, 2, -1]
    assert list(end.marker.color) == [SCORE_COLOURS[1], SCORE_COLOURS[2], SCORE_COLOURS[-1]]
    assert list(fig.layout.yaxis.ticktext) == ["Kyrgyzstan", "Kazakhstan"]  # first on top
    kaz, kgz = end.y[:2], end.y[2]
    assert all(0.5 < y < 1.5 for y in kaz) and kaz[0] != kaz[1] and -0.5 < kgz < 0.5
    assert segments(trace(fig, "Moved away from Moscow's line"))[0][2] == end.y[1]


def test_hover_says_the_path_and_escapes_names():
    rows = ROWS.copy()
    rows.loc[0, "country_name"] = "<i>Kyrgyz</i>"
    fig = build_changes(rows, title="Moves")
    end = trace(fig, "Where it stands at the end")
    hover = end.hovertext[[tuple(c) for c in end.customdata].index(("KGZ", "protests"))]
    assert "&lt;i&gt;Kyrgyz&lt;/i&gt;" in hover and "<i>" not in hover
    assert (
        "no evidence → Allowed → Banned" in hover
        and f"{signed_score(1)} → {signed_score(-1)}" in hover
    )
    assert "&lt;i&gt;Kyrgyz&lt;/i&gt;" in fig.layout.yaxis.ticktext


def test_no_changes_draw_an_empty_chart_that_says_so():
    fig = build_changes(ROWS.iloc[0:0], title="Moves")
    assert len(trace(fig, "Where it stands at the end").x) == 0
    drawn = [t for t in fig.data if not t.name.endswith("(coloured by score)")]
    assert all(len(t.x) == 0 for t in drawn)
    assert "No cell" in fig.layout.annotations[0].text


@pytest.mark.parametrize(("options", "legend"), [(None, None), (PRESENTER, False)])
def test_presentation_options_apply(options, legend):
    kw = {"options": options} if options else {}
    fig = build_changes(ROWS, title="Moves", **kw)
    assert fig.layout.showlegend is legend
    assert fig.layout.height == (options.height if options else 140 + 48 * 2)


def test_it_draws_the_changes_of_the_bundled_data(dataset):
    moved = changes(dataset, pd.Timestamp("2022-02-24"), pd.Timestamp("2022-04-30"))
    fig = build_changes(moved, title="Moves")
    end = trace(fig, "Where it stands at the end")
    assert len(end.x) == int(moved["score"].notna().sum()) > 0
    assert ("KGZ", "anti_war_protests") in {tuple(c) for c in end.customdata}
    assert not any(isinstance(x, float) and math.isnan(x) for x in end.x)
