"""Questions asked of a Dataset: what held as of a date, each cell's state, a cell's history."""

from __future__ import annotations

import pandas as pd

from core.model.dataset import Dataset
from core.model.vocabulary import NO_EVIDENCE, NOT_APPLICABLE, SCORED

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def format_date(date: pd.Timestamp, precision: str) -> str:
    """A date written as precisely as it is known: '2 Mar 2022', 'Mar 2022', 'c. 15 Mar 2022'."""
    month = _MONTHS[date.month - 1]
    if precision == "month":
        return f"{month} {date.year}"
    text = f"{date.day} {month} {date.year}"
    return f"c. {text}" if precision == "approximate" else text


def date_bounds(ds: Dataset) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last observation dates; for a dataset without observations, those of its
    events, or else today (so that a page always has dates to show)."""
    for dates in (ds.positions["date"], ds.events["date"]):
        if len(dates):
            return dates.min(), dates.max()
    today = pd.Timestamp.today().normalize()
    return today, today


def effective_date(ds: Dataset, when: pd.Timestamp) -> pd.Timestamp:
    """The last observation date on or before `when`: every date from it up to the next
    observation gives the same cells, so it is the key to cache them by."""
    dates = ds.positions["date"]
    earlier = dates[dates <= pd.Timestamp(when)]
    return earlier.max() if len(earlier) else date_bounds(ds)[0] - pd.Timedelta(days=1)


def observations(ds: Dataset) -> pd.DataFrame:
    """Every observation with its stance label and score joined from the codebook."""
    stances = ds.stances[["issue", "stance", "label", "score", "meaning"]]
    return ds.positions.merge(stances, on=["issue", "stance"], how="left", validate="many_to_one")


def as_of(ds: Dataset, when: pd.Timestamp) -> pd.DataFrame:
    """The latest observation per country x issue on or before `when`.

    A month-precision observation is dated the first of its month and so counts from the
    start of that month; an approximate one counts from its best-estimate date.
    """
    obs = observations(ds)
    known = obs[obs["date"] <= pd.Timestamp(when)]
    counts = known.groupby(["country", "issue"]).size().rename("n_obs")
    latest = known.sort_values("date").groupby(["country", "issue"], as_index=False).tail(1)
    return latest.merge(counts.reset_index(), on=["country", "issue"], how="left")


def cells(
    ds: Dataset,
    when: pd.Timestamp,
    countries: list[str] | None = None,
    issues: list[str] | None = None,
) -> pd.DataFrame:
    """One row per country x issue with its state: scored, no_evidence or not_applicable."""
    grid = ds.applicability()
    if countries is not None:
        grid = grid[grid["country"].isin(countries)]
    if issues is not None:
        grid = grid[grid["issue"].isin(issues)]
    frame = grid.merge(as_of(ds, when), on=["country", "issue"], how="left")
    frame["state"] = NO_EVIDENCE
    frame.loc[frame["score"].notna(), "state"] = SCORED
    frame.loc[~frame["applies"], "state"] = NOT_APPLICABLE
    frame["n_obs"] = frame["n_obs"].fillna(0).astype(int)
    names = ds.countries.set_index("iso3")["name"]
    issue_meta = ds.issues.set_index("id")[["label", "category", "order", "question"]]
    frame["country_name"] = frame["country"].map(names)
    frame["issue_label"] = frame["issue"].map(issue_meta["label"])
    frame["category"] = frame["issue"].map(issue_meta["category"])
    frame["issue_order"] = frame["issue"].map(issue_meta["order"])
    frame["question"] = frame["issue"].map(issue_meta["question"])
    return frame.reset_index(drop=True)


def cell_history(ds: Dataset, country: str, issue: str) -> pd.DataFrame:
    """Every observation of one cell over time, oldest first, with its principal source's
    citation and, in `further`, a list of its further sources (each a sources row with its
    `locator`)."""
    obs = observations(ds)
    rows = obs[(obs["country"] == country) & (obs["issue"] == issue)].sort_values("date")
    sources = ds.sources.rename(columns={"id": "source", "title": "source_title"})
    out = rows.merge(sources, on="source", how="left").reset_index(drop=True)
    extra = ds.observation_sources
    extra = extra[(extra["country"] == country) & (extra["issue"] == issue)]
    extra = extra.merge(sources, on="source", how="left")
    out["further"] = [extra[extra["date"] == when].to_dict("records") for when in out["date"]]
    out["n_sources"] = 1 + out["further"].map(len)
    return out


def cell_state(ds: Dataset, country: str, issue: str, when: pd.Timestamp) -> str:
    """The state of a single cell as of `when`."""
    frame = cells(ds, when, countries=[country], issues=[issue])
    return frame["state"].iloc[0] if len(frame) else NOT_APPLICABLE
