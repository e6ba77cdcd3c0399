"""Derived measures: the alignment index, pairwise agreement, divergences and changes.

Definitions (also on the About page):
- alignment index of a country: the weighted mean score over the selected issues it is scored
  on, weights per issue; it rests on `n_scored` of its `n_applicable` issues, and a country
  scored on fewer than `min_scored` issues is listed as "too little evidence", not ranked;
- agreement of two countries: the mean, over issues scored for both, of 1 for the same stance,
  else 1 - max(|score difference|, 1) / 4. Two different stances never agree fully, even at the
  same score: "did not vote" against "abstain", or "silent" against "hedging", is one step apart
  (0.75); opposite extremes are 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.analysis.query import NOT_APPLICABLE, SCORED, UN_CATEGORY, cells, observations
from core.model.dataset import Dataset
from core.model.vocabulary import NO_EVIDENCE, STATE_NAMES

WEIGHT_PRESETS = {
    "equal": "Equal",
    "un": "UN votes only",
    "domestic": "Domestic measures only",
    "custom": "Custom (a weight per category)",
}
WEIGHT_WORDS = {
    "equal": "equal weights",
    "un": "UN votes only",
    "domestic": "domestic measures only",
    "custom": "custom weights",
}
"""How a chart title names the weighting: 'Alignment index … (UN votes only)'."""
DOMESTIC_CATEGORY = "Domestic"
MAX_SCORE_GAP = 4
MIN_SCORED_ISSUES = 3
"""Default: a country scored on fewer issues is listed as 'too little evidence', not ranked."""
DIFFERENT_STANCE_GAP = 1
"""Two different stances with the same score count as this many score steps apart."""


def issue_weights(ds: Dataset, preset: str, custom: dict[str, float] | None = None) -> pd.Series:
    """Weight of each issue id under a preset, or under per-category weights for 'custom'."""
    category = ds.issues.set_index("id")["category"]
    if preset == "un":
        return (category == UN_CATEGORY).astype(float)
    if preset == "domestic":
        return (category == DOMESTIC_CATEGORY).astype(float)
    if preset == "custom":
        custom = custom or {}
        return category.map(lambda c: float(custom.get(c, 1.0)))
    return pd.Series(1.0, index=category.index)


def alignment(
    frame: pd.DataFrame, weights: pd.Series, min_scored: int = MIN_SCORED_ISSUES
) -> pd.DataFrame:
    """Alignment index per country of a cells frame, with the counts it rests on and whether
    it rests on enough issues (`min_scored`) to be `ranked`."""
    # Plain arrays, one pass: pandas' filtering and grouping of an Arrow-backed frame cost far
    # more than this arithmetic (it ran on every rerun of the matrix page).
    codes, countries = pd.factorize(frame["country"].to_numpy(dtype=object))
    n = len(countries)
    weight = weights.reindex(frame["issue"].to_numpy(dtype=object)).fillna(0.0).to_numpy(float)
    state = frame["state"].to_numpy(dtype=object)
    counted = weight > 0
    scored = counted & (state == SCORED)
    score = np.where(scored, frame["score"].to_numpy(dtype=float, na_value=np.nan), 0.0)
    total = np.bincount(codes, weights=np.where(scored, weight, 0.0), minlength=n)
    weighted = np.bincount(codes, weights=score * np.where(scored, weight, 0.0), minlength=n)
    n_scored = np.bincount(codes, weights=scored, minlength=n).astype(int)
    applicable = counted & (state != NOT_APPLICABLE)
    first = np.unique(codes, return_index=True)[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(n_scored > 0, weighted / np.where(total > 0, total, 1.0), np.nan)
    out = pd.DataFrame(
        {
            "country": frame["country"].iloc[first].to_numpy(),
            "country_name": frame["country_name"].iloc[first].to_numpy(),
            "index": index,
            "n_scored": n_scored,
            "n_applicable": np.bincount(codes, weights=applicable, minlength=n).astype(int),
        }
    )
    out["ranked"] = out["index"].notna() & (out["n_scored"] >= max(min_scored, 1))
    return out


def ranking(scores: pd.DataFrame) -> list[str]:
    """Countries of an `alignment` frame in rank order: ranked ones by index, highest first,
    ties by name; then the unranked, by name. The matrix and the bar chart both use it."""
    ranked = scores[scores["ranked"]].sort_values(
        ["index", "country_name"], ascending=[False, True], kind="stable"
    )
    rest = scores[~scores["ranked"]].sort_values("country_name", kind="stable")
    return [*ranked["country"], *rest["country"]]


def stance_agreement(stance_a: str, score_a: float, stance_b: str, score_b: float) -> float:
    """Agreement of two scored stances of one issue: 1 if the same stance, else
    1 - max(|score gap|, 1) / 4, so that different acts never count as agreeing fully."""
    if stance_a == stance_b:
        return 1.0
    gap = max(abs(score_a - score_b), DIFFERENT_STANCE_GAP)
    return 1 - gap / MAX_SCORE_GAP


def agreement(frame: pd.DataFrame, countries: list[str]) -> pd.DataFrame:
    """Square frame of pairwise agreement (NaN where two countries share no scored issue)."""
    scored = frame[frame["state"] == SCORED]
    scores = scored.pivot(index="issue", columns="country", values="score")
    stances = scored.pivot(index="issue", columns="country", values="stance")
    scores = scores.reindex(columns=countries)
    stances = stances.reindex(columns=countries)
    result = pd.DataFrame(np.nan, index=countries, columns=countries)
    for a in countries:
        for b in countries:
            both = scores[[a, b]].dropna().index if a != b else scores[[a]].dropna().index
            if both.empty:
                continue
            values = [
                stance_agreement(
                    stances.at[i, a], scores.at[i, a], stances.at[i, b], scores.at[i, b]
                )
                for i in both
            ]
            result.loc[a, b] = float(np.mean(values))
    return result


def shared_counts(frame: pd.DataFrame, countries: list[str]) -> pd.DataFrame:
    """How many issues each pair of countries is scored on together."""
    scored = frame[frame["state"] == SCORED]
    present = pd.crosstab(scored["issue"], scored["country"]).reindex(
        columns=countries, fill_value=0
    )
    return (present.T @ present).astype(int)


def divergences(frame: pd.DataFrame, countries: list[str]) -> pd.DataFrame:
    """Issues on which two of `countries` are scored differently, largest gap first."""
    scored = frame[(frame["state"] == SCORED) & frame["country"].isin(countries)]
    cols = [
        "issue",
        "issue_label",
        "country",
        "country_name",
        "stance",
        "label",
        "score",
        "summary",
    ]
    pairs = scored[cols].merge(scored[cols], on=["issue", "issue_label"], suffixes=("_a", "_b"))
    order = {c: i for i, c in enumerate(countries)}
    pairs = pairs[pairs["country_a"].map(order) < pairs["country_b"].map(order)]
    pairs = pairs[pairs["stance_a"] != pairs["stance_b"]].copy()
    pairs["gap"] = (pairs["score_a"] - pairs["score_b"]).abs()
    return pairs.sort_values(["gap", "issue_label"], ascending=[False, True]).reset_index(drop=True)


def changes(
    ds: Dataset,
    start: pd.Timestamp,
    end: pd.Timestamp,
    countries: list[str] | None = None,
    issues: list[str] | None = None,
) -> pd.DataFrame:
    """Cells whose stance or state differs between two dates, with the later evidence, the
    stances in between (`path`) and the score the cell started the period with
    (`score_start`: its score at `start`, else its first score observed after it)."""
    before = cells(ds, start, countries, issues)
    after = cells(ds, end, countries, issues)
    keep = ["country", "issue", "state", "stance", "label", "score"]
    merged = after.merge(before[keep], on=["country", "issue"], suffixes=("", "_before"))
    moved = (merged["state"] != merged["state_before"]) | (
        merged["stance"].fillna("") != merged["stance_before"].fillna("")
    )
    out = merged[moved & (merged["state"] != NOT_APPLICABLE)].copy()
    out["delta"] = out["score"] - out["score_before"]
    out["path"], out["score_start"] = _paths(ds, out, start, end)
    return out.sort_values(["issue_order", "country"]).reset_index(drop=True)


def _paths(
    ds: Dataset, moved: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp
) -> tuple[list[str], list[float]]:
    """'no evidence → Allowed → Banned': each cell's stances from `start` through `end`,
    a stance observed again in a row written once; and each cell's first score in that path."""
    obs = observations(ds)
    between = obs[(obs["date"] > start) & (obs["date"] <= end)].sort_values("date")
    steps = between.groupby(["country", "issue"])[["label", "score"]].agg(list)
    paths, starts = [], []
    for row in moved.itertuples(index=False):
        key = (row.country, row.issue)
        labels, scores = steps.loc[key] if key in steps.index else ([], [])
        scored = row.state_before == SCORED
        first = row.label_before if scored else STATE_NAMES[NO_EVIDENCE]
        path = [first]
        for label in labels:
            if label != path[-1]:  # a repeated stance is more evidence, not a move
                path.append(label)
        paths.append(" → ".join(path))
        starts.append(row.score_before if scored else (scores[0] if scores else float("nan")))
    return paths, starts


def alignment_over_time(ds: Dataset, country: str, weights: pd.Series) -> pd.DataFrame:
    """The country's alignment index on each date one of its observations changes it."""
    dates = sorted(ds.positions.loc[ds.positions["country"] == country, "date"].unique())
    rows = []
    for when in dates:
        a = alignment(cells(ds, pd.Timestamp(when), countries=[country]), weights).iloc[0]
        rows.append({"date": pd.Timestamp(when), "index": a["index"], "n_scored": a["n_scored"]})
    return pd.DataFrame(rows, columns=["date", "index", "n_scored"])
