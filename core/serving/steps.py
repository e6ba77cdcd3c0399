"""What a story step shows: the frames its chart is drawn from, as of the step's date.

The presenter asks `step_view` once per step and hands the frames to a figure builder; caching
is the caller's (ui.presenter wraps this in st.cache_data).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core.analysis.measures import agreement, alignment, shared_counts
from core.analysis.query import cells, date_bounds, format_date, observations
from core.model.dataset import Dataset
from core.serving.story import Step

TIMELINE_START = pd.Timestamp("2022-02-14")
"""A timeline step starts here, a week before the invasion, ..."""
TIMELINE_TAIL = pd.Timedelta(days=7)
"""... and ends a week past the step's date, so its last markers are not on the edge."""
EMPTY = pd.DataFrame()


@dataclass(frozen=True)
class StepView:
    """The frames of one step; a frame its page does not draw is left empty."""

    title: str
    cells: pd.DataFrame
    """The step's countries and issues as of its date (core.analysis.query.cells)."""
    observations: pd.DataFrame = field(default_factory=lambda: EMPTY)
    """Timeline: observations up to the date, with country names, issue labels and categories."""
    events: pd.DataFrame = field(default_factory=lambda: EMPTY)
    """Timeline: context events up to the date."""
    categories: list[str] = field(default_factory=list)
    date_range: tuple[pd.Timestamp, pd.Timestamp] | None = None
    alignment: pd.DataFrame | None = None
    """Map of several issues: their equal-weight alignment index (None: one issue, drawn as is)."""
    agreement: pd.DataFrame = field(default_factory=lambda: EMPTY)
    shared: pd.DataFrame = field(default_factory=lambda: EMPTY)
    names: dict[str, str] = field(default_factory=dict)
    """Compare: pairwise agreement, the issues each pair shares, and country names."""


def step_view(ds: Dataset, step: Step) -> StepView:
    """The frames and title of `step`'s chart, as of its date (the last observation if none)."""
    when = step.as_of or date_bounds(ds)[1]
    day = format_date(when, "day")
    shown = cells(ds, when, step.countries, step.issues)
    if step.page == "timeline":
        return StepView(
            title=f"Observations to {day}", cells=shown,
            observations=_named_observations(ds, when), events=ds.events[ds.events["date"] <= when],
            categories=list(dict.fromkeys(ds.issues["category"])),
            date_range=(TIMELINE_START, max(when, TIMELINE_START) + TIMELINE_TAIL),
        )  # fmt: skip
    if step.page == "map" and len(step.issues) == 1:
        label = ds.issues.set_index("id").at[step.issues[0], "label"]
        return StepView(title=f"{label} as of {day}", cells=shown)
    if step.page == "map":
        index = alignment(shown, pd.Series(1.0, index=list(step.issues)))
        return StepView(title=f"Alignment index as of {day}", cells=shown, alignment=index)
    if step.page == "compare":
        return StepView(
            title=f"Pairwise agreement as of {day}", cells=shown,
            agreement=agreement(shown, step.countries),
            shared=shared_counts(shown, step.countries),
            names=dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True)),
        )  # fmt: skip
    return StepView(title=f"Positions as of {day}", cells=shown)


def _named_observations(ds: Dataset, until: pd.Timestamp) -> pd.DataFrame:
    """Observations on or before `until`, with what the timeline writes and groups by."""
    obs = observations(ds)
    obs = obs[obs["date"] <= until]
    issue = ds.issues.set_index("id")
    return obs.assign(
        country_name=obs["country"].map(ds.countries.set_index("iso3")["name"]),
        issue_label=obs["issue"].map(issue["label"]),
        category=obs["issue"].map(issue["category"]),
    )
