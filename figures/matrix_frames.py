"""The matrix at every stop of the As of control, sent once so the browser redraws it itself.

A cell changes only on the day one of its observations is dated, so the frames are the cells'
looks at the first stop and, for each later stop, only the cells that changed. Each look is
what figures.matrix.cell_look gives, so the browser draws exactly what build_matrix draws.
"""

from __future__ import annotations

import pandas as pd

from core.analysis.query import format_date
from core.analysis.replay import cells_over_time
from core.model.dataset import Dataset
from figures.matrix import MAX_TEXT_COLUMNS, CellLook, cell_look

LOOK_FIELDS = ("z", "text", "hover", "symbol", "size", "color", "width")
"""The names the browser reads a look's seven parts by (figures.matrix.CellLook's order)."""


def matrix_frames(
    ds: Dataset,
    stops: list[pd.Timestamp],
    *,
    countries: list[str],
    issues: list[str],
    title: str,
) -> dict:
    """The matrix of `countries` x `issues` at each of `stops` (oldest first), as
    {dates, days, titles, points, looks, steps}: `points` is each cell's (row, column) in the
    order of build_matrix's clickable points, `looks` the distinct looks, and `steps[i]` the
    [point, look] pairs that differ at stop i from stop i - 1 (every point at stop 0).
    `title` is the matrix's title before " as of <day>"."""
    stops = [pd.Timestamp(s) for s in stops]
    col = {issue: i for i, issue in enumerate(issues)}
    row_of = {country: i for i, country in enumerate(countries)}
    show_text = len(issues) <= MAX_TEXT_COLUMNS
    look_ids: dict[CellLook, int] = {}
    current: list[int] = []
    steps = []
    for records, changed in cells_over_time(ds, stops, countries=countries, issues=issues):
        if not current:
            current = [0] * len(records)
            points = [[row_of[r["country"]], col[r["issue"]]] for r in records]
        step = []
        for i in changed:
            look = look_ids.setdefault(cell_look(records[i], show_text), len(look_ids))
            if look != current[i] or not steps:
                current[i] = look
                step.append([i, look])
        steps.append(step)
    days = [format_date(s, "day") for s in stops]
    return {
        "dates": [f"{s:%Y-%m-%d}" for s in stops],
        "days": days,
        "titles": [f"{title} as of {day}" for day in days],
        "points": points,
        "fields": list(LOOK_FIELDS),
        "looks": [list(look) for look in look_ids],
        "steps": steps,
    }


def looks_at(frames: dict, stop: int) -> list[int]:
    """Each point's look at stop number `stop`: the steps up to it applied in turn (what the
    browser does)."""
    current = [0] * len(frames["points"])
    for step in frames["steps"][: stop + 1]:
        for i, look in step:
            current[i] = look
    return current
