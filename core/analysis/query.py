"""Questions asked of a Dataset: what held as of a date, each cell's state, a cell's history,
and the dates worth stopping at (when something changed, and the key dates)."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from core.model.dataset import Dataset
from core.model.vocabulary import NO_EVIDENCE, NOT_APPLICABLE, SCORED

UN_CATEGORY = "UN votes"
"""The category of the UN General Assembly votes: one issue per resolution."""
INVASION_EVENT = "invasion"
"""The id of the events row dated the day of the full-scale invasion."""
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


class KeyDate(NamedTuple):
    """A date worth jumping to, with its name."""

    date: pd.Timestamp
    label: str


def change_dates(ds: Dataset) -> list[pd.Timestamp]:
    """Every date on which something changed, oldest first: the observation dates and the event
    dates between the first and the last of them (an event before the first observation would
    only show an empty matrix)."""
    first, last = date_bounds(ds)
    dates = pd.concat([ds.positions["date"], ds.events["date"]])
    dates = dates[(dates >= first) & (dates <= last)]
    return [pd.Timestamp(d) for d in sorted(dates.unique())] or [first]


def latest_on_or_before(dates: list[pd.Timestamp], when: pd.Timestamp) -> pd.Timestamp:
    """The latest of `dates` (sorted) on or before `when`; the first of them when `when` is
    earlier than all."""
    earlier = [d for d in dates if d <= pd.Timestamp(when)]
    return earlier[-1] if earlier else dates[0]


def un_vote_issues(ds: Dataset) -> list[str]:
    """The ids of the UN General Assembly votes, in display order."""
    return list(ds.issues.loc[ds.issues["category"] == UN_CATEGORY, "id"])


def event_date(ds: Dataset, event: str) -> pd.Timestamp | None:
    """The date of the events row `event`, or None when the data has no such row."""
    dates = ds.events.loc[ds.events["id"] == event, "date"]
    return pd.Timestamp(dates.iloc[0]) if len(dates) else None


def key_dates(ds: Dataset) -> list[KeyDate]:
    """The invasion and each UN General Assembly vote, oldest first, all from the data: the
    invasion's events row, and for each vote the day most of its observations are dated
    (votes cast on one day share a key date). Dates outside the observations are left out."""
    first, last = date_bounds(ds)
    named: dict[pd.Timestamp, list[str]] = {}
    invasion = ds.events[ds.events["id"] == INVASION_EVENT]
    for when, label in zip(invasion["date"], invasion["label"], strict=True):
        named.setdefault(pd.Timestamp(when), []).append(str(label))
    labels = ds.issues.set_index("id")["label"]
    votes: dict[pd.Timestamp, list[str]] = {}
    for issue in un_vote_issues(ds):
        dates = ds.positions.loc[ds.positions["issue"] == issue, "date"]
        if len(dates):
            votes.setdefault(pd.Timestamp(dates.mode().min()), []).append(str(labels[issue]))
    for when, names in votes.items():
        noun = "UN vote" if len(names) == 1 else "UN votes"
        named.setdefault(when, []).append(f"{noun}: {', '.join(names)}")
    return [
        KeyDate(when, "; ".join(names))
        for when, names in sorted(named.items())
        if first <= when <= last
    ]
