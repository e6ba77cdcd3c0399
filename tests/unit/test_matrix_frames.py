"""The matrix's frames for the browser: at every stop, the same cells as build_matrix draws."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis.query import cells, change_dates
from core.ingest.package import load_bundled
from figures.matrix import build_matrix
from figures.matrix_frames import LOOK_FIELDS, looks_at, matrix_frames

DS = load_bundled()
STOPS = change_dates(DS)
ISSUES = list(DS.issues["id"])


def drawn(fig) -> dict[str, list]:
    """What build_matrix draws per clickable point, by the frames' look field names."""
    heat = next(t for t in fig.data if t.name == "cells")
    select = next(t for t in fig.data if t.name == "select")
    return {
        "z": [heat.z[y][x] for x, y in zip(select.x, select.y, strict=True)],
        "text": [heat.text[y][x] for x, y in zip(select.x, select.y, strict=True)],
        "hover": list(select.hovertext),
        "symbol": list(select.marker.symbol),
        "size": list(select.marker.size),
        "color": list(select.marker.color),
        "width": list(select.marker.line.width),
    }


def from_frames(frames: dict, stop: int) -> dict[str, list]:
    looks = [frames["looks"][i] for i in looks_at(frames, stop)]
    return {name: [look[k] for look in looks] for k, name in enumerate(LOOK_FIELDS)}


@pytest.mark.parametrize(
    ("countries", "issues"),
    [(["KAZ", "KGZ", "RUS"], ISSUES), (["UZB", "TJK"], ISSUES[:5]), (["TKM"], ISSUES[::-1])],
)
def test_every_stop_draws_what_build_matrix_draws_at_that_date(countries, issues):
    frames = matrix_frames(DS, STOPS, countries=countries, issues=issues, title="T")
    for n in [*range(0, len(STOPS), 6), len(STOPS) - 1]:  # a sample: cells() is slow
        stop = STOPS[n]
        fig = build_matrix(cells(DS, stop), countries=countries, issues=issues)
        assert from_frames(frames, n) == drawn(fig), stop
    select = next(t for t in fig.data if t.name == "select")
    assert frames["points"] == [[y, x] for x, y in zip(select.x, select.y, strict=True)]


def test_later_steps_hold_only_the_cells_that_changed():
    frames = matrix_frames(DS, STOPS, countries=["KAZ"], issues=ISSUES, title="T")
    assert len(frames["steps"][0]) == len(ISSUES)  # every cell at the first stop
    changed = sum(len(s) for s in frames["steps"][1:])
    assert 0 < changed <= (DS.positions["country"] == "KAZ").sum()


def test_a_stop_with_no_observation_repeats_the_stop_before_with_its_own_title():
    extra = pd.Timestamp("2022-03-05")
    assert extra not in STOPS
    stops = sorted([*STOPS, extra])
    frames = matrix_frames(DS, stops, countries=["KGZ"], issues=ISSUES, title="Positions")
    n = stops.index(extra)
    assert frames["steps"][n] == []
    assert looks_at(frames, n) == looks_at(frames, n - 1)
    assert frames["dates"][n] == "2022-03-05"
    assert frames["titles"][n] == "Positions as of 5 Mar 2022"
