"""The presenter's story: load `story.csv`, check it against the schema, resolve each step.

A step names countries, issues and focus cells; each must exist in the dataset, and a focus
cell must be one the step shows and an issue that applies to that country. Every problem names
the step number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.ingest.package import read_package_dir
from core.ingest.validate import FIRST_DATA_ROW, validate_tables
from core.model.dataset import Dataset
from core.model.problems import Problem
from core.model.schema import STORY, PackageSchema, load_schema
from core.model.vocabulary import parse_applies_to

FILE = "story.csv"


@dataclass(frozen=True)
class Step:
    """One step of the story, resolved against the dataset."""

    number: int
    title: str
    narration: str
    page: str
    countries: list[str]
    issues: list[str]
    as_of: pd.Timestamp | None
    focus: list[tuple[str, str]]
    notes: str
    play_from: pd.Timestamp | None = None
    """A matrix step plays from this date to `as_of` on entry (the As of control's Play)."""


@dataclass(frozen=True)
class Story:
    """The steps in order, or the problems that stop the story from being shown."""

    steps: list[Step]
    problems: list[Problem]

    def step(self, number: int) -> Step:
        """Step `number` (1-based), clamped to the first and last step."""
        index = min(max(number, 1), len(self.steps)) - 1
        return self.steps[index]


def _resolve_row(row: dict, index: int, ds: Dataset) -> tuple[Step | None, list[Problem]]:
    number = int(row["step"])
    at = index + FIRST_DATA_ROW
    problems: list[Problem] = []

    def problem(column: str, value: str, rule: str) -> None:
        problems.append(Problem(FILE, at, column, value, f"step {number}: {rule}"))

    known_countries = list(ds.countries["iso3"])
    scope = dict(zip(ds.issues["id"], ds.issues["applies_to"], strict=True))
    countries = row["countries"].split()
    issues = row["issues"].split() or list(scope)
    for code in countries:
        if code not in known_countries:
            problem("countries", code, f"{code} is not in countries.csv")
    for issue in row["issues"].split():
        if issue not in scope:
            problem("issues", issue, f"{issue} is not in issues.csv")
    focus = []
    for cell in row["focus"].split():
        country, _, issue = cell.partition(":")
        if country not in known_countries or issue not in scope:
            problem("focus", cell, f"cell {cell} names an unknown country or issue")
        elif country not in countries or issue not in issues:
            problem("focus", cell, f"cell {cell} is not among the countries and issues it shows")
        elif country not in parse_applies_to(scope[issue], known_countries):
            problem("focus", cell, f"cell {cell} is not applicable, so it cannot be focused")
        else:
            focus.append((country, issue))
    play_from = pd.Timestamp(row["play_from"]) if row.get("play_from") else None
    if play_from is not None:
        if row["page"] != "matrix":
            problem("play_from", row["play_from"], "only a matrix step can play through dates")
        elif not row["as_of"] or play_from >= pd.Timestamp(row["as_of"]):
            problem("play_from", row["play_from"], "it must come before the step's as_of date")
    if problems:
        return None, problems
    step = Step(
        number=number,
        title=row["title"],
        narration=row["narration"],
        page=row["page"],
        countries=countries,
        issues=[i for i in scope if i in issues],
        as_of=pd.Timestamp(row["as_of"]) if row["as_of"] else None,
        focus=focus,
        notes=row["notes"],
        play_from=play_from,
    )
    return step, []


def resolve_story(frame: pd.DataFrame, ds: Dataset, schema: PackageSchema | None = None) -> Story:
    """Validate a story table of strings and resolve its steps against `ds`."""
    schema = schema or load_schema()
    problems = validate_tables({STORY: frame}, schema, (schema.resource(STORY),))
    if problems:
        return Story([], problems)
    steps, problems = [], []
    for index, row in enumerate(frame.to_dict("records")):
        step, found = _resolve_row(row, index, ds)
        problems += found
        if step:
            steps.append(step)
    steps.sort(key=lambda s: s.number)
    if not problems and [s.number for s in steps] != list(range(1, len(steps) + 1)):
        numbers = ", ".join(str(s.number) for s in steps)
        problems.append(Problem(FILE, None, "step", numbers, "steps must be numbered 1, 2, 3, …"))
    if not problems and not steps:
        problems.append(Problem(FILE, None, None, None, "the story has no steps"))
    return Story([] if problems else steps, problems)


def load_story(directory: Path, ds: Dataset, schema: PackageSchema | None = None) -> Story:
    """Read and resolve `story.csv` from a package folder."""
    schema = schema or load_schema()
    tables, problems = read_package_dir(directory, schema, (schema.resource(STORY),))
    if problems:
        return Story([], problems)
    return resolve_story(tables[STORY], ds, schema)
