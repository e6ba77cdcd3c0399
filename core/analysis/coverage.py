"""How much of the grid the evidence covers: per state, per year, and in all.

The figures of the data README and the About page come from here, so that a claim such as
"80% of applicable cells hold an observation" is computed, never typed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.analysis.measures import UN_CATEGORY
from core.model.dataset import Dataset


def _non_un_issues(ds: Dataset) -> list[str]:
    return list(ds.issues.loc[ds.issues["category"] != UN_CATEGORY, "id"])


@dataclass(frozen=True)
class Coverage:
    """Applicable non-UN cells and how many of them hold at least one observation."""

    applicable: int
    covered: int

    @property
    def share(self) -> float:
        return self.covered / self.applicable if self.applicable else 0.0


def coverage_by_country(ds: Dataset, countries: list[str] | None = None) -> pd.DataFrame:
    """Per country: applicable non-UN cells, cells with any observation (at any date), share,
    and the number of non-UN observations and of distinct sources they cite."""
    issues = _non_un_issues(ds)
    grid = ds.applicability()
    grid = grid[grid["issue"].isin(issues) & grid["applies"]]
    if countries is not None:
        grid = grid[grid["country"].isin(countries)]
    obs = ds.positions[ds.positions["issue"].isin(issues)]
    seen = set(zip(obs["country"], obs["issue"], strict=True))
    pairs = zip(grid["country"], grid["issue"], strict=True)
    grid = grid.assign(covered=[pair in seen for pair in pairs])
    codes = list(ds.countries["iso3"]) if countries is None else list(countries)
    out = grid.groupby("country", sort=False).agg(
        applicable=("issue", "size"), covered=("covered", "sum")
    )
    out = out.reindex(codes, fill_value=0)  # a state no non-UN issue applies to is listed too
    out.index.name = "country"
    out["share"] = (out["covered"] / out["applicable"].where(out["applicable"] > 0)).fillna(0.0)
    out["observations"] = obs.groupby("country").size().reindex(out.index).fillna(0).astype(int)
    further = ds.observation_sources[ds.observation_sources["issue"].isin(issues)]
    cites = pd.concat([obs[["country", "source"]], further[["country", "source"]]])
    out["sources"] = cites.groupby("country")["source"].nunique().reindex(out.index)
    out["sources"] = out["sources"].fillna(0).astype(int)
    names = ds.countries.set_index("iso3")["name"]
    out.insert(0, "name", out.index.map(names))
    return out.reset_index()


def total_coverage(ds: Dataset, countries: list[str] | None = None) -> Coverage:
    """Applicable non-UN cells of `countries` (all by default) and how many are covered."""
    table = coverage_by_country(ds, countries)
    return Coverage(int(table["applicable"].sum()), int(table["covered"].sum()))


def observations_by_year(ds: Dataset, countries: list[str] | None = None) -> pd.DataFrame:
    """Non-UN observations per country (rows) and year (columns), with a total column."""
    obs = ds.positions[ds.positions["issue"].isin(_non_un_issues(ds))]
    codes = list(ds.countries["iso3"]) if countries is None else countries
    obs = obs[obs["country"].isin(codes)]
    table = pd.crosstab(obs["country"], obs["date"].dt.year).reindex(index=codes, fill_value=0)
    table.columns = [str(c) for c in table.columns]
    table["total"] = table.sum(axis=1)
    return table


def observations_after(ds: Dataset, when: pd.Timestamp) -> int:
    """How many non-UN observations are dated after `when`."""
    obs = ds.positions[ds.positions["issue"].isin(_non_un_issues(ds))]
    return int((obs["date"] > when).sum())


def empty_cells(ds: Dataset) -> pd.DataFrame:
    """Applicable non-UN cells without any observation: country, name, issue, issue label."""
    grid = ds.applicability()
    grid = grid[grid["applies"] & grid["issue"].isin(_non_un_issues(ds))]
    seen = set(zip(ds.positions["country"], ds.positions["issue"], strict=True))
    pairs = zip(grid["country"], grid["issue"], strict=True)
    empty = grid[[pair not in seen for pair in pairs]].copy()
    empty["name"] = empty["country"].map(ds.countries.set_index("iso3")["name"])
    empty["label"] = empty["issue"].map(ds.issues.set_index("id")["label"])
    return empty[["country", "name", "issue", "label"]].reset_index(drop=True)


def empty_cells_markdown(ds: Dataset) -> str:
    """One line per state: the issues that apply to it and hold no observation."""
    empty = empty_cells(ds)
    lines = []
    for code in ds.countries["iso3"]:
        labels = list(empty.loc[empty["country"] == code, "label"])
        name = ds.countries.set_index("iso3").at[code, "name"]
        lines.append(f"- **{name}**: {', '.join(labels) if labels else 'none'}.")
    return "\n".join(lines)
