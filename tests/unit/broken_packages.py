"""The bad-package corpus: copies of the bundled data package, each broken in one place.

Each case changes one cell, adds one row or leaves out one file of data/, and names every problem
`load_package` must report for it, in order. Rows are picked by what they hold rather than by
position where it matters (an observation without further sources, an issue that names its
countries), so that new data does not turn a one-rule break into a two-rule one.

`declared_kinds` lists the kinds of check the descriptor and `core.ingest.rules.RULES` declare;
every kind must have a case here (tests/unit/test_broken_packages.py says so).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.ingest.rules import RULES
from core.ingest.validate import FIRST_DATA_ROW
from core.model.schema import PackageSchema, load_schema
from core.settings import BUNDLED_DATA_DIR, DESCRIPTOR

Rows = list[dict[str, str]]
SCHEMA = load_schema()
NOT_A_SOURCE = "NO-SUCH-SOURCE"
NOT_AN_ISSUE = "no_such_issue"
# Checks of the package's files rather than of a declared constraint or rule.
FILE_KINDS = {"file missing", "optional file left out", "header"}


def _read(path: Path) -> tuple[list[str], Rows]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


BUNDLED = {r.name: _read(BUNDLED_DATA_DIR / r.path) for r in SCHEMA.data_resources}


def _file(table: str) -> str:
    return SCHEMA.resource(table).path


def _next_row(table: str) -> int:
    """Spreadsheet row number of a row added at the end of `table`."""
    return len(BUNDLED[table][1]) + FIRST_DATA_ROW


def row_where(table: str, test: Callable[[dict[str, str]], bool]) -> int:
    """Spreadsheet row number of the first row of `table` that passes `test`."""
    rows = BUNDLED[table][1]
    return next(i for i, row in enumerate(rows) if test(row)) + FIRST_DATA_ROW


def _cell(table: str, row: int, column: str) -> str:
    return BUNDLED[table][1][row - FIRST_DATA_ROW][column]


OBSERVATION = ("country", "issue", "date")
FURTHER = {tuple(r[c] for c in OBSERVATION) for r in BUNDLED["observation_sources"][1]}


def lone_position(test: Callable[[dict[str, str]], bool] = lambda row: True) -> int:
    """Row of the first observation that passes `test` and has no further sources (so that
    changing its key breaks no reference from observation_sources.csv)."""
    return row_where(
        "positions", lambda r: test(r) and tuple(r[c] for c in OBSERVATION) not in FURTHER
    )


def key_text(columns: tuple[str, ...], values: dict[str, str]) -> str:
    """A composite key as the validator writes it: 'issue=x, stance=y'."""
    return ", ".join(f"{c}={values[c]}" for c in columns)


@dataclass(frozen=True)
class Expected:
    """One problem `load_package` must report; `words` must be in its rule."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    words: str


@dataclass(frozen=True)
class Case:
    """One broken copy of the bundled package: `edit` turns the rows of `table` into the broken
    rows (None: the file is left out)."""

    name: str
    kind: str
    table: str
    edit: Callable[[Rows], Rows | None]
    expected: tuple[Expected, ...]


def change(row: int, column: str, value: str) -> Callable[[Rows], Rows]:
    """An edit that writes `value` into one cell."""

    def edit(rows: Rows) -> Rows:
        rows[row - FIRST_DATA_ROW] = rows[row - FIRST_DATA_ROW] | {column: value}
        return rows

    return edit


def set_cell(name, kind, table, row, column, value, words, *more: Expected) -> Case:
    """A case that writes `value` into one cell and expects that cell to be reported."""
    first = Expected(_file(table), row, column, value, words)
    return Case(name, kind, table, change(row, column, value), (first, *more))


def add_row(name, kind, table, copy_of, changes, column, value, words) -> Case:
    """A case that adds a copy of row `copy_of` with `changes` at the end of `table`."""

    def edit(rows: Rows) -> Rows:
        return [*rows, rows[copy_of - FIRST_DATA_ROW] | changes]

    expected = Expected(_file(table), _next_row(table), column, value, words)
    return Case(name, kind, table, edit, (expected,))


def duplicate(table: str, row: int = FIRST_DATA_ROW, **changes: str) -> Case:
    """A case that repeats the primary key of `row` in a row added at the end."""
    key = SCHEMA.resource(table).primary_key
    copied = BUNDLED[table][1][row - FIRST_DATA_ROW]
    if len(key) == 1:  # a one-column key is checked as `unique` on its field
        column, value, words = key[0], copied[key[0]], f"already in row {row}"
    else:
        column, value, words = " + ".join(key), key_text(key, copied), f"repeats row {row}"
    kind = f"primaryKey {table}"
    return add_row(f"{table}: repeated key", kind, table, row, changes, column, value, words)


def leave_out(name: str, kind: str, table: str, *expected: Expected) -> Case:
    return Case(name, kind, table, lambda rows: None, expected)


def rename(old: str, new: str) -> Callable[[Rows], Rows]:
    """An edit that renames a column in the header, in place."""
    return lambda rows: [{(new if k == old else k): v for k, v in r.items()} for r in rows]


def _fk_kind(table: str, *fields: str) -> str:
    return f"foreignKey {table}.{'+'.join(fields)}"


NOT_SOURCE = "no row in sources.csv has this id"
POS = lone_position()
ISSUE_LIST = row_where("issues", lambda r: not r["applies_to"].startswith("all"))
TROOPS = lone_position(lambda r: r["issue"] == "troop_request")
DAY_EVENT = row_where("events", lambda r: r["date_precision"] == "day" and r["date"][-2:] != "01")
FURTHER_ROW = FIRST_DATA_ROW
FURTHER_MOVED = BUNDLED["observation_sources"][1][0] | {"date": "1999-01-01"}
BUNDLED_POS = BUNDLED["positions"][1][POS - FIRST_DATA_ROW]

CASES: list[Case] = [
    set_cell("blank author", "required", "sources", 2, "author", "", "a value is required"),
    set_cell("label of spaces", "required", "events", 2, "label", "   ", "a value is required"),
    set_cell("order in words", "type integer", "issues", 3, "order", "third", "whole number"),
    set_cell("dotted date", "type date", "events", 3, "date", "24.02.2022", "YYYY-MM-DD"),
    set_cell("one-digit month", "type date", "events", 3, "date", "2022-2-24", "YYYY-MM-DD"),
    set_cell("date in words", "pattern", "sources", 2, "date_published", "March 2022",
             "must match the pattern"),
    set_cell("id with capitals", "pattern", "events", 2, "id", "CSTO-Kazakhstan",
             "must match the pattern"),
    set_cell("applies_to in words", "pattern", "issues", 2, "applies_to", "all but RUS",
             "must match the pattern"),
    set_cell("membership capitalised", "enum", "countries", 2, "csto", "Member",
             "must be one of: member, observer"),
    set_cell("score -3", "minimum (integer)", "stances", 2, "score", "-3", "at least -2"),
    set_cell("score +3", "maximum (integer)", "stances", 3, "score", "+3", "at most 2"),
    set_cell("event in 1066", "minimum (date)", "events", 4, "date", "1066-10-14",
             "between 1900-01-01 and 2100-12-31"),
    set_cell("observation in 2101", "maximum (date)", "positions", POS, "date", "2101-01-01",
             "between 1900-01-01 and 2100-12-31"),
    set_cell("label of 17 characters", "maxLength", "stances", 2, "label", "x" * 17,
             "at most 16 characters"),
    set_cell("order repeated", "unique", "issues", 3, "order", "1", "already in row 2"),
    duplicate("countries"),
    duplicate("issues", order="99"),  # `order` is unique too
    duplicate("stances"),
    duplicate("positions"),
    duplicate("observation_sources"),
    duplicate("events"),
    duplicate("sources"),
    add_row("stance of an unknown issue", _fk_kind("stances", "issue"), "stances", 2,
            {"issue": NOT_AN_ISSUE}, "issue", NOT_AN_ISSUE, "no row in issues.csv"),
    set_cell("observation of Turkey", _fk_kind("positions", "country"), "positions", POS,
             "country", "TUR", "no row in countries.csv"),
    set_cell("observation of an unknown issue", _fk_kind("positions", "issue"), "positions",
             POS, "issue", NOT_AN_ISSUE, "no row in issues.csv",
             # an unknown issue has no stances either
             Expected("positions.csv", POS, "issue + stance",
                      key_text(("issue", "stance"), BUNDLED_POS | {"issue": NOT_AN_ISSUE}),
                      "no row in stances.csv has this issue + stance")),
    Case("stance not in the codebook", _fk_kind("positions", "issue", "stance"), "positions",
         change(POS, "stance", "maybe"),
         (Expected("positions.csv", POS, "issue + stance",
                   key_text(("issue", "stance"), BUNDLED_POS | {"stance": "maybe"}),
                   "no row in stances.csv has this issue + stance"),)),
    set_cell("observation citing nothing", _fk_kind("positions", "source"), "positions", POS,
             "source", NOT_A_SOURCE, NOT_SOURCE),
    Case("further source of no observation", _fk_kind("observation_sources", *OBSERVATION),
         "observation_sources",
         change(FURTHER_ROW, "date", "1999-01-01"),
         (Expected("observation_sources.csv", FURTHER_ROW, "country + issue + date",
                   key_text(OBSERVATION, FURTHER_MOVED), "no row in positions.csv"),)),
    set_cell("further source citing nothing", _fk_kind("observation_sources", "source"),
             "observation_sources", 2, "source", NOT_A_SOURCE, NOT_SOURCE),
    set_cell("event in Turkey", _fk_kind("events", "country"), "events", 2, "country", "TUR",
             "no row in countries.csv"),
    set_cell("event citing nothing", _fk_kind("events", "source"), "events", 3, "source",
             NOT_A_SOURCE, NOT_SOURCE),
    set_cell("applies to Turkey", "rule _applies_to_codes_known", "issues", ISSUE_LIST,
             "applies_to", _cell("issues", ISSUE_LIST, "applies_to") + " TUR",
             "names TUR, which is not in countries.csv"),
    set_cell("troop request of Georgia", "rule _positions_applicable", "positions", TROOPS,
             "country", "GEO", "issue troop_request does not apply to GEO"),
    Case("month precision mid-month", "rule _month_dates_on_first", "events",
         change(DAY_EVENT, "date_precision", "month"),
         (Expected("events.csv", DAY_EVENT, "date", _cell("events", DAY_EVENT, "date"),
                   "first day of the month"),)),
    add_row("issue without stances", "rule _issues_have_stances", "issues", 2,
            {"id": "new_issue", "order": "99"}, "id", "new_issue", "has no stances"),
    Case("column renamed", "header", "sources", rename("publisher", "publisher_name"),
         (Expected("sources.csv", 1, "publisher", None, "missing from the header"),
          Expected("sources.csv", 1, "publisher_name", None, "not in the schema"))),
    leave_out("events.csv left out", "file missing", "events",
              Expected("events.csv", None, None, None, "the file is missing")),
    leave_out("observation_sources.csv left out", "optional file left out",
              "observation_sources"),
]  # fmt: skip


def declared_kinds(schema: PackageSchema) -> set[str]:
    """Every kind of check that the descriptor declares for the data tables, and every
    cross-table rule: a type other than string, a constraint (minimum and maximum by type),
    each table's primary key and each foreign key."""
    kinds = {f"rule {rule.__name__}" for rule in RULES}
    for resource in schema.data_resources:
        for f in resource.fields:
            if f.type != "string":
                kinds.add(f"type {f.type}")
            for name in f.constraints:
                kinds.add(f"{name} ({f.type})" if name in ("minimum", "maximum") else name)
        if resource.primary_key:
            kinds.add(f"primaryKey {resource.name}")
        kinds |= {_fk_kind(resource.name, *fk.fields) for fk in resource.foreign_keys}
    return kinds


def build(case: Case | None, directory: Path) -> Path:
    """A copy of the bundled package in `directory`, broken as `case` says (None: unbroken)."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(DESCRIPTOR, directory / DESCRIPTOR.name)
    for resource in SCHEMA.resources:
        shutil.copy(BUNDLED_DATA_DIR / resource.path, directory / resource.path)
    if case is not None:
        header, rows = BUNDLED[case.table]
        path = directory / _file(case.table)
        broken = case.edit([dict(row) for row in rows])
        if broken is None:
            path.unlink()
        else:
            with path.open("w", encoding="utf-8", newline="") as fh:
                columns = list(broken[0]) if broken else header  # a case may rename one
                writer = csv.DictWriter(fh, columns, lineterminator="\n")
                writer.writeheader()
                writer.writerows(broken)
    return directory
