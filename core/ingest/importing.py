"""Import one uploaded file: read it, conform it onto the base dataset, validate the result.

Every problem is said of the uploaded file: the problems the checks find in the conformed
tables are restated with the file's own rows and columns (`conform.Origin`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from core.ingest.conform import (
    Additions,
    Origin,
    Origins,
    add_countries,
    base_tables,
    conform_long,
    conform_wide,
    country_codes,
    first_places,
    keep_sources_of_unchanged_observations,
)
from core.ingest.package import load_tables
from core.ingest.read import read_upload
from core.ingest.validate import FIRST_DATA_ROW
from core.model.dataset import Dataset
from core.model.problems import Problem

LONG_COLUMNS = {"country", "issue", "date", "stance"}


@dataclass
class ImportResult:
    """The imported dataset (or None) and everything the user should be told about it."""

    dataset: Dataset | None
    problems: list[Problem]
    added: Additions = field(default_factory=Additions)


def import_file(
    name: str,
    raw: bytes,
    base: Dataset,
    as_of: dt.date | None = None,
    add_unknown: bool = False,
    merge: bool = False,
) -> ImportResult:
    """Read, conform and validate one uploaded file on top of `base`; never raises on bad input.
    With `merge`, a single table's observations are added to the base's instead of replacing
    them (an observation already there is then reported as a repeat). Every problem names the
    uploaded file, and the row and column of it that caused the problem."""
    tables, problems = read_upload(name, raw)
    if tables is None:
        return ImportResult(None, problems)
    if "table" not in tables:  # a zipped package: tables it lacks come from the base
        return _import_package(name, tables, base)
    frame = tables["table"]  # its header has no repeats, in any letter case (core.ingest.read)
    if {str(c).strip().lower() for c in frame.columns} >= LONG_COLUMNS:
        conformed = conform_long(frame, base, name)
    else:
        conformed = conform_wide(frame, base, name, as_of=as_of, add_unknown=add_unknown)
    if conformed.tables is None:
        return ImportResult(None, conformed.problems)
    own = base_tables(base)["positions"]
    if merge:  # the base's observations first; the file's rows keep their origins after them
        mine = conformed.tables["positions"]
        conformed.tables["positions"] = pd.concat([own, mine], ignore_index=True)
        conformed.origins["positions"] = {
            len(own) + n: origin for n, origin in conformed.origins["positions"].items()
        }
    keep_sources_of_unchanged_observations(conformed.tables, own)
    result = load_tables(conformed.tables)
    restated = [_restate(p, name, conformed.origins) for p in result.problems]
    return ImportResult(result.dataset, restated, conformed.added)


def _import_package(name: str, tables: dict[str, pd.DataFrame], base: Dataset) -> ImportResult:
    """A zipped package on top of `base`: its tables replace the base's, countries named in its
    positions.csv are added; problems in its own tables name the zip's member."""
    merged = base_tables(base)
    before = merged["positions"]
    merged.update(tables)
    if "observation_sources" not in tables:
        keep_sources_of_unchanged_observations(merged, before)
    positions, countries = merged["positions"], merged["countries"]
    origins: Origins = {}
    added: list[str] = []
    if "country" in positions.columns and "iso3" in countries.columns:  # else: reported below
        member = f"{name}/positions.csv"
        codes, problems = country_codes(
            positions["country"], set(countries["iso3"]), member, "country"
        )
        if problems:
            return ImportResult(None, problems)
        merged["positions"] = positions.assign(country=codes)
        where = first_places(codes, positions.index, "country")
        added = add_countries(merged, codes, origins, where)
    result = load_tables(merged)
    members = {f"{resource}.csv" for resource in tables}
    problems = []
    for p in result.problems:
        origin = _origin(p, origins)
        if origin is not None:
            problems.append(_restate(p, f"{name}/positions.csv", origins))
        elif p.file in members:
            problems.append(Problem(f"{name}/{p.file}", p.row, p.column, p.value, p.rule))
        else:
            problems.append(p)
    return ImportResult(result.dataset, problems, Additions(countries=added))


_ROW_REFERENCE = re.compile(r"\brow (\d+)\b")
GENERATED_RULES = {  # (table, column, start of the rule) -> the rule said of the file's header
    ("issues", "label", "must be at most"):
        "the column name '{column}' makes an issue label longer than {limit} characters; "
        "shorten it",
    ("issues", "id", "must match the pattern"):
        "the column name '{column}' makes the issue id '{value}', which needs at least two "
        "letters or digits and must start with a letter; rename the column",
    ("issues", "id", "must be unique"):
        "the column name '{column}' makes the issue id '{value}', which {other} makes too; "
        "rename one of them",
    ("issues", "id", "this issue has no stances"):
        "the column '{column}' has no values, so the new issue it makes would have no stances; "
        "fill it in or leave it out",
}  # fmt: skip


def _table_of(problem: Problem) -> str:
    return problem.file.removesuffix(".csv")


def _origin(problem: Problem, origins: Origins) -> Origin | None:
    if problem.row is None:
        return None
    return origins.get(_table_of(problem), {}).get(problem.row - FIRST_DATA_ROW)


def _reference(table: str, row: int, origins: Origins) -> str:
    """Words for row `row` of a conformed table, as the user knows it."""
    origin = origins.get(table, {}).get(row - FIRST_DATA_ROW)
    if origin is None:
        return f"row {row} of {table}.csv in the data you have"
    if origin.made:
        return f"the column '{origin.column}'" if origin.row == 1 else f"row {origin.row}"
    return f"row {origin.row}"


def _restate(problem: Problem, file: str, origins: Origins) -> Problem:
    """A problem with a conformed table said of the uploaded `file`: its row and column, and
    for a table the user never uploaded, what in the file made the row."""
    table = _table_of(problem)
    origin = _origin(problem, origins)
    if origin is None:
        if table == "positions":  # its header (row 1), or a row of the data you have
            return Problem(file, problem.row, problem.column, problem.value, problem.rule)
        if problem.file != f"{table}.csv" or table not in origins:
            return problem
        where = f"row {problem.row}, " if problem.row is not None else ""
        rule = (f"the import makes {problem.file} break a rule ({where}column "
                f"'{problem.column}'): {problem.rule}")  # fmt: skip
        return Problem(file, None, None, problem.value, rule)
    rule = _ROW_REFERENCE.sub(lambda m: _reference(table, int(m[1]), origins), problem.rule)
    if origin.made:
        rule = _generated_rule(table, problem, origin, rule)
    return Problem(file, origin.row, origin.column_for(problem.column), problem.value, rule)


def _generated_rule(table: str, problem: Problem, origin: Origin, rule: str) -> str:
    """The rule that a row the file made (of a table the user never uploaded) breaks, in words
    about the file."""
    for (where, column, start), text in GENERATED_RULES.items():
        if (where, column) == (table, problem.column) and problem.rule.startswith(start):
            limit = "".join(ch for ch in problem.rule if ch.isdigit())
            other = rule.removeprefix("must be unique; the same value is already in ")
            return text.format(column=origin.column, value=problem.value, limit=limit,
                               other=other)  # fmt: skip
    value = "" if problem.value is None else f" '{problem.value}'"
    return f"{origin.made} whose {problem.column} is{value}, which breaks the rule: {rule}"
