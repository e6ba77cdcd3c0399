"""The alignment chart at every stop of the As of control, sent once so the browser redraws it.

Each country's index is recomputed only at the stops where one of its cells changed; the bars
at a stop are figures.alignment.alignment_parts of that stop's scores, as build_alignment draws
them. Weights are multiples of a half, so the sums are exact in any order and the indices (and
so the ranking) are those core.analysis.measures.alignment gives.
"""

from __future__ import annotations

import pandas as pd

from core.analysis.measures import MIN_SCORED_ISSUES
from core.analysis.query import format_date
from core.analysis.replay import cells_over_time
from core.model.dataset import Dataset
from core.model.vocabulary import NOT_APPLICABLE, SCORED
from figures.alignment import alignment_parts


def _country_scores(rows: list[dict], weights: dict[str, float], min_scored: int) -> dict:
    """One country's row of core.analysis.measures.alignment, from its cell records."""
    weighted = total = 0.0
    n_scored = n_applicable = 0
    for r in rows:
        w = weights.get(r["issue"], 0.0)
        if not w > 0:  # NaN too
            continue
        if r["state"] != NOT_APPLICABLE:
            n_applicable += 1
        if r["state"] == SCORED:
            weighted += r["score"] * w
            total += w
            n_scored += 1
    index = weighted / total if total else float("nan")
    ranked = bool(total) and n_scored >= max(min_scored, 1)
    return {
        "country": rows[0]["country"], "country_name": rows[0]["country_name"], "index": index,
        "n_scored": n_scored, "n_applicable": n_applicable, "ranked": ranked,
    }  # fmt: skip


def alignment_frames(
    ds: Dataset,
    stops: list[pd.Timestamp],
    *,
    countries: list[str],
    issues: list[str],
    weights: pd.Series,
    min_scored: int = MIN_SCORED_ISSUES,
    title: str,
) -> dict:
    """The alignment chart of `countries` over `issues` at each of `stops`, as {dates, titles,
    parts, at}: `parts` the distinct alignment_parts, `at[i]` the one shown at stop i. `title`
    holds "{day}" where the stop's day goes."""
    parts: list[dict] = []
    at: list[int] = []
    by_country: dict[str, list[int]] = {}
    scores: dict[str, dict] = {}
    weight_of = {str(k): float(v) for k, v in weights.items()}
    for records, changed in cells_over_time(ds, stops, countries=countries, issues=issues):
        if not by_country:
            for i, r in enumerate(records):
                by_country.setdefault(r["country"], []).append(i)
        touched = {records[i]["country"] for i in changed}
        for country in touched:
            rows = [records[i] for i in by_country[country]]
            scores[country] = _country_scores(rows, weight_of, min_scored)
        if touched or not parts:
            now = alignment_parts([scores[c] for c in by_country], min_scored=min_scored)
            if not parts or now != parts[-1]:
                parts.append(now)
        at.append(len(parts) - 1)
    days = [format_date(pd.Timestamp(s), "day") for s in stops]
    return {
        "dates": [f"{pd.Timestamp(s):%Y-%m-%d}" for s in stops],
        "titles": [title.format(day=day) for day in days],
        "parts": parts,
        "at": at,
    }
