"""The cells at every stop of a run of dates, found in one pass: a cell changes only on the day
one of its observations is dated, so each stop updates only the cells observed since the last."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from core.analysis.query import cells, observations
from core.model.dataset import Dataset
from core.model.vocabulary import NO_EVIDENCE, NOT_APPLICABLE, SCORED


def _state(row: dict) -> str:
    """A cell's state as core.analysis.query.cells sets it."""
    if not row["applies"]:
        return NOT_APPLICABLE
    return SCORED if pd.notna(row.get("score")) else NO_EVIDENCE


def cells_over_time(
    ds: Dataset, stops: list[pd.Timestamp], *, countries: list[str], issues: list[str]
) -> Iterator[tuple[list[dict], list[int]]]:
    """For each of `stops` (oldest first): the records of core.analysis.query.cells for
    `countries` x `issues` at that stop (one list, updated in place from stop to stop), and
    the positions in it of the records that changed since the stop before (all, at the first)."""
    stops = [pd.Timestamp(s) for s in stops]
    frame = cells(ds, stops[0], countries=countries, issues=issues)
    records = frame.to_dict("records")
    index = {(r["country"], r["issue"]): i for i, r in enumerate(records)}
    obs = observations(ds)
    obs = obs[obs["country"].isin(countries) & obs["issue"].isin(issues)].sort_values("date")
    columns = [c for c in obs.columns if c in frame.columns]
    pending = obs[obs["date"] > stops[0]].to_dict("records")  # oldest first
    yield records, list(range(len(records)))
    k = 0
    for stop in stops[1:]:
        changed = []
        while k < len(pending) and pending[k]["date"] <= stop:
            o = pending[k]  # a cell's latest observation wins: it comes last
            k += 1
            i = index[(o["country"], o["issue"])]
            row = records[i]
            row.update({c: o[c] for c in columns})
            row["n_obs"] = row.get("n_obs", 0) + 1
            row["state"] = _state(row)
            changed.append(i)
        yield records, sorted(set(changed))
