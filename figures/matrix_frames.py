"""The matrix at every stop of the As of control, sent once so the browser redraws it itself.

A cell changes only on the day one of its observations is dated, so the frames are the cells'
looks at the first stop and, for each later stop, only the cells that changed. Each look is
what figures.matrix.cell_look gives, so the browser draws exactly what build_matrix draws.
"""

from __future__ import annotations

from itertools import pairwise

import pandas as pd

from core.analysis.query import NOT_APPLICABLE, SCORED, cells, format_date, observations
from core.model.dataset import Dataset
from core.model.vocabulary import NO_EVIDENCE
from figures.matrix import MAX_TEXT_COLUMNS, CellLook, cell_look

LOOK_FIELDS = ("z", "text", "hover", "symbol", "size", "color", "width")
"""The names the browser reads a look's seven parts by (figures.matrix.CellLook's order)."""


def _state(row: dict) -> str:
    """A cell's state as core.analysis.query.cells sets it."""
    if not row["applies"]:
        return NOT_APPLICABLE
    return SCORED if pd.notna(row.get("score")) else NO_EVIDENCE


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
    frame = cells(ds, stops[0], countries=countries, issues=issues)
    col = {issue: i for i, issue in enumerate(issues)}
    row_of = {country: i for i, country in enumerate(countries)}
    frame = frame[frame["country"].isin(row_of) & frame["issue"].isin(col)]
    records = frame.to_dict("records")
    index = {(r["country"], r["issue"]): i for i, r in enumerate(records)}
    show_text = len(issues) <= MAX_TEXT_COLUMNS
    obs = observations(ds)
    obs = obs[obs["country"].isin(row_of) & obs["issue"].isin(col)].sort_values("date")
    obs_columns = [c for c in obs.columns if c in frame.columns]
    look_ids: dict[CellLook, int] = {}

    def look_of(row: dict) -> int:
        return look_ids.setdefault(cell_look(row, show_text), len(look_ids))

    current = [look_of(r) for r in records]
    steps = [[[i, look] for i, look in enumerate(current)]]
    for before, stop in pairwise(stops):
        new = obs[(obs["date"] > before) & (obs["date"] <= stop)]
        step = {}
        for o in new.to_dict("records"):  # oldest first: a cell's latest observation wins
            i = index[(o["country"], o["issue"])]
            row = records[i]
            row.update({c: o[c] for c in obs_columns})
            row["n_obs"] = row.get("n_obs", 0) + 1
            row["state"] = _state(row)
            look = look_of(row)
            if look != current[i]:
                step[i] = current[i] = look
        steps.append([[i, look] for i, look in sorted(step.items())])
    days = [format_date(s, "day") for s in stops]
    return {
        "dates": [f"{s:%Y-%m-%d}" for s in stops],
        "days": days,
        "titles": [f"{title} as of {day}" for day in days],
        "points": [[row_of[r["country"]], col[r["issue"]]] for r in records],
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
