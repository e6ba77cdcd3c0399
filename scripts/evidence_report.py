"""How much the evidence covers, now and at an earlier commit: `make evidence-report`.

Prints, from the functions the About page uses (core.analysis.coverage): coverage of applicable
non-UN cells per state, before (the package as it was at --before, read with `git show`) and after
(the working tree); non-UN observations per state and year; the sources and publishers cited.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from core.analysis.coverage import (
    coverage_by_country,
    observations_after,
    observations_by_year,
    total_coverage,
)
from core.ingest.package import load_package
from core.model.dataset import Dataset
from core.model.schema import load_schema
from core.settings import BUNDLED_DATA_DIR, PACKAGE_DIR

BEFORE = "f323191"
"""The last commit before the 2022-2025 evidence wave."""
JUNE_2022 = pd.Timestamp("2022-06-30")


def package_at(rev: str) -> Dataset:
    """The bundled package as committed at `rev`."""
    folder = Path(tempfile.mkdtemp(prefix="package-"))
    for resource in load_schema().data_resources:
        shown = subprocess.run(
            ["git", "show", f"{rev}:data/{resource.path}"],
            cwd=PACKAGE_DIR, capture_output=True, check=False,
        )  # fmt: skip
        if shown.returncode == 0:
            (folder / resource.path).write_bytes(shown.stdout)
    result = load_package(folder)
    if result.dataset is None:
        raise SystemExit(f"the package at {rev} does not load: {result.problems[:3]}")
    return result.dataset


def report(before: Dataset, after: Dataset) -> str:
    """The figures as Markdown."""
    cb, ca = total_coverage(before), total_coverage(after)
    table = coverage_by_country(before)[["country", "applicable", "covered"]].merge(
        coverage_by_country(after), on="country", suffixes=("_before", "")
    )
    lines = [
        "## Coverage of applicable non-UN cells",
        f"- before: {cb.covered} of {cb.applicable} ({cb.share:.0%})",
        f"- after: {ca.covered} of {ca.applicable} ({ca.share:.0%})",
        "",
        "| State | before | after | share | observations | sources |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in table.itertuples(index=False):
        lines.append(
            f"| {r.name} | {r.covered_before}/{r.applicable_before} | {r.covered}/{r.applicable}"
            f" | {r.share:.0%} | {r.observations} | {r.sources} |"
        )
    years = observations_by_year(after)
    years.index = years.index.map(after.countries.set_index("iso3")["name"])
    lines += ["", "## Non-UN observations per state and year", ""]
    lines.append("| State | " + " | ".join(years.columns) + " |")
    lines.append("|---|" + "---:|" * len(years.columns))
    for name, row in years.iterrows():
        lines.append(f"| {name} | " + " | ".join(str(v) for v in row) + " |")
    lines.append("")
    sources = after.sources
    cited = set(after.positions["source"]) | set(after.observation_sources["source"])
    lines += [
        "## Sources",
        f"- sources: {len(sources)} (before: {len(before.sources)}), from "
        f"{sources['publisher'].nunique()} publishers; cited by an observation or event: "
        f"{len(cited | set(after.events['source']))}",
        f"- every source has an address and a date: "
        f"{bool((sources['url'] != '').all() and (sources['date_published'] != '').all())}",
        f"- observations: {len(after.positions)} (before: {len(before.positions)}); further "
        f"sources of observations: {len(after.observation_sources)}; events: {len(after.events)}",
        f"- non-UN observations dated after June 2022: {observations_after(after, JUNE_2022)}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", default=BEFORE, help="commit to compare with")
    args = parser.parse_args()
    after = load_package(BUNDLED_DATA_DIR).dataset
    print(report(package_at(args.before), after))


if __name__ == "__main__":
    main()
