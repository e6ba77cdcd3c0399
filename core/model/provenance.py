"""Where the data comes from, said from the data itself: the package descriptor (title, version,
licences) and the sources table (full citations). Nothing here names a source by hand, so an
imported dataset is credited to the sources its own observations cite."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from core.model.dataset import Dataset

SOURCES_NAMED = 3
"""A source line or citation names at most this many sources; past that it counts the rest."""
DESCRIPTOR_FILE = "datapackage.json"


def read_descriptor(folder: Path) -> dict:
    """The data package descriptor in `folder`, or {} if it has none."""
    path = Path(folder) / DESCRIPTOR_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def source_citation(source: Mapping) -> str:
    """A full citation of a sources row: author, title, publisher, date, address."""
    parts = [source.get("author", "")]
    title = source.get("source_title", source.get("title", ""))
    parts.append(f"“{title}”" if title else "untitled analysis")
    parts += [source.get("publisher", ""), source.get("date_published", "")]
    url = source.get("url", "")
    text = ", ".join(p for p in parts if p)
    return f"{text}. {url}".strip() if url else f"{text}."


def cited_sources(ds: Dataset, shown: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of the sources table cited by the observations `shown` (rows with country, issue,
    date and source; all the dataset's by default), with `n` citations, most cited first."""
    rows = ds.positions if shown is None else shown.dropna(subset=["source"])
    further = ds.observation_sources
    if shown is not None:
        further = further.merge(rows[["country", "issue", "date"]], on=["country", "issue", "date"])
    cited = pd.concat([rows["source"], further["source"]]).value_counts().rename("n")
    used = ds.sources.set_index("id").join(cited, how="inner")
    return used.sort_values("n", ascending=False, kind="stable")


def source_line(ds: Dataset, shown: pd.DataFrame | None = None) -> str:
    """'Source: author (publisher); …' for the sources cited by the observations `shown`, most
    cited first. Past SOURCES_NAMED of them: the two most cited publishers and how many more."""
    used = cited_sources(ds, shown)
    if used.empty:
        return ""
    used["name"] = used["author"].where(
        used["author"] == used["publisher"], used["author"] + " (" + used["publisher"] + ")"
    )
    names = used.groupby("name")["n"].sum().sort_values(ascending=False, kind="stable")
    if len(names) <= SOURCES_NAMED:
        return "Source: " + "; ".join(names.index)
    publishers = used.groupby("publisher")["n"].sum().sort_values(ascending=False, kind="stable")
    first, second = publishers.index[:2]
    more = len(publishers) - 2
    return (
        f"Sources: {first}; {second}; and {more} more publishers, each cited in its cell's evidence"
    )


def licence_words(descriptor: Mapping) -> str:
    """'Creative Commons Attribution 4.0 (CC-BY-4.0)': the package's licences, or ''."""
    licences = descriptor.get("licenses", [])
    return "; ".join(
        f"{lic['title']} ({lic['name']})" if lic.get("title") and lic.get("name") else
        lic.get("title") or lic.get("name") or lic.get("path", "")
        for lic in licences
    )  # fmt: skip


def citation(ds: Dataset, descriptor: Mapping) -> str:
    """How to cite the data: the package's title, version and licence from its `descriptor`, then
    its most cited sources in full and how many more. Data that is not the package the
    descriptor describes (imported or edited) gets an empty `descriptor`: no title, no version."""
    if descriptor.get("title"):
        version = descriptor.get("version")
        head = descriptor["title"] + (f", data package version {version}" if version else "")
    else:
        head = "Imported data (not a release of the bundled data package)"
    licence = licence_words(descriptor)
    head += f", licensed {licence}." if licence else "."
    used = cited_sources(ds)
    if used.empty:
        return f"{head} No observation cites a source."
    named = used if len(used) <= SOURCES_NAMED else used.head(1)
    text = " ".join(source_citation(row) for row in named.reset_index().to_dict("records"))
    if len(named) < len(used):
        return (
            f"{head} Coded from {len(used)} sources listed in sources.csv; the most cited: {text}"
        )
    return f"{head} Coded from: {text}"
