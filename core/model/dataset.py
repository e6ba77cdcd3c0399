"""The typed Dataset: the tables of a package that passed every check."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields

import pandas as pd

from core.model.vocabulary import parse_applies_to


@dataclass(frozen=True)
class Dataset:
    """The tables of a package, typed: dates as datetime64, scores and orders as int."""

    countries: pd.DataFrame
    issues: pd.DataFrame
    stances: pd.DataFrame
    positions: pd.DataFrame
    observation_sources: pd.DataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    fingerprint: str = ""

    def applicability(self) -> pd.DataFrame:
        """Every country x issue pair with `applies` True or False."""
        codes = list(self.countries["iso3"])
        rows = [
            (country, issue, country in scope)
            for issue, text in zip(self.issues["id"], self.issues["applies_to"], strict=True)
            for scope in [set(parse_applies_to(text, codes))]
            for country in codes
        ]
        return pd.DataFrame(rows, columns=["country", "issue", "applies"])


TABLE_NAMES = tuple(f.name for f in fields(Dataset) if f.name != "fingerprint")
"""The tables of a Dataset, in the order of its fields."""


def typed_dataset(tables: dict[str, pd.DataFrame]) -> Dataset:
    """A Dataset of validated tables of strings: dates, scores and orders typed."""
    t = {name: frame.copy() for name, frame in tables.items()}
    for name in ("positions", "observation_sources", "events"):
        t[name]["date"] = pd.to_datetime(t[name]["date"], format="%Y-%m-%d")
    t["stances"]["score"] = t["stances"]["score"].astype(int)
    t["issues"]["order"] = t["issues"]["order"].astype(int)
    t["issues"] = t["issues"].sort_values("order", kind="stable").reset_index(drop=True)
    return Dataset(**t, fingerprint=fingerprint(tables))


def string_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    """The dataset's tables back as strings, as they would be read from CSV (the inverse of
    `typed_dataset`)."""
    out = {}
    for name in TABLE_NAMES:
        frame = getattr(ds, name).copy()
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = frame[column].dt.strftime("%Y-%m-%d")
        # missing values become empty cells; a text that reads "nan" stays as it is
        out[name] = frame.astype(object).where(frame.notna(), "").astype(str)
    return out


def fingerprint(tables: dict[str, pd.DataFrame]) -> str:
    """A short hash of the tables' content: equal content, equal fingerprint."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        frame = tables[name]
        digest.update(name.encode())
        digest.update("\x1f".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
    return digest.hexdigest()[:16]
