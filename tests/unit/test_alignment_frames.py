"""The alignment chart's frames for the browser: at every stop, the bars build_alignment draws."""

from __future__ import annotations

import pytest

from core.analysis.measures import alignment, issue_weights, ranking
from core.analysis.query import cells, change_dates
from core.ingest.package import load_bundled
from figures.alignment import build_alignment
from figures.alignment_frames import alignment_frames

DS = load_bundled()
STOPS = change_dates(DS)
COUNTRIES = list(DS.countries["iso3"])
ISSUES = list(DS.issues["id"])


def bars(fig) -> dict:
    bar = fig.data[0]
    notes = [a.text for a in fig.layout.annotations]
    return {
        "x": list(bar.x), "y": list(bar.y), "text": list(bar.text),
        "customdata": [list(c) for c in bar.customdata], "height": fig.layout.height,
        "note": notes[0] if notes else "",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("preset", "custom", "min_scored", "issues"),
    [("equal", None, 3, ISSUES), ("un", None, 1, ISSUES),
     ("custom", {"UN votes": 0.5, "Domestic": 2.5}, 3, ISSUES[::2])],
)  # fmt: skip
def test_every_stop_shows_the_bars_build_alignment_draws_at_that_date(
    preset, custom, min_scored, issues
):
    weights = issue_weights(DS, preset, custom)
    frames = alignment_frames(DS, STOPS, countries=COUNTRIES, issues=issues, weights=weights,
                              min_scored=min_scored, title="Index as of {day}")  # fmt: skip
    assert len(frames["at"]) == len(STOPS) and len(frames["parts"]) < len(STOPS)
    for n in [*range(0, len(STOPS), 20), len(STOPS) - 1]:  # a sample: cells() is slow
        frame = cells(DS, STOPS[n], countries=COUNTRIES, issues=issues)
        scores = alignment(frame, weights, min_scored)
        fig = build_alignment(scores, title="t", min_scored=min_scored)
        shown = frames["parts"][frames["at"][n]]
        assert shown == bars(fig), STOPS[n]
        ranked = [c for c in ranking(scores) if c in set(scores.loc[scores["ranked"], "country"])]
        assert [c for [c] in shown["customdata"]] == ranked[::-1]  # lowest bar first
    assert frames["titles"][-1] == "Index as of 31 Dec 2025"
