"""The hand-written validator and the `frictionless` library give the same verdict on the
bad-package corpus (tests/unit/broken_packages.py) and on the unbroken package.

For each package both say valid, or both find problems at the same (file, row, column); a
composite key is named 'a + b', as our validator names it, and a header problem sits in row 1.
Where frictionless cannot or does not make a check, the case is listed in DIFFERENCES with what
frictionless finds instead and why. frictionless runs offline: the network is blocked while it
runs, and the package is opened untrusted, so that only safe relative paths are read.
"""

from __future__ import annotations

import socket

import pytest

from core.ingest.package import load_package
from core.settings import DESCRIPTOR
from tests.unit.broken_packages import BUNDLED, CASES, SCHEMA, Case, build

frictionless = pytest.importorskip("frictionless", reason="dev requirement")
helpers = pytest.importorskip("frictionless.helpers")

Finding = tuple[str, int | None, str | None]  # file, spreadsheet row, column

RULE = "a cross-table rule of core/ingest/rules.py, which Table Schema cannot express"
# case name -> (what frictionless finds instead of what we find, why)
DIFFERENCES: dict[str, tuple[set[Finding], str]] = {
    "label of spaces": (set(), "frictionless counts only '' as missing, we count blanks too"),
    "one-digit month": (set(), "frictionless parses dates with strptime, which takes 2022-2-24"),
    "column renamed": (
        {("sources.csv", 1, "publisher")},
        "frictionless matches the header to the fields by position, we match it by name",
    ),
    "observation_sources.csv left out": (
        {("observation_sources.csv", None, None)},
        "x-optional is our extension: frictionless needs every resource's file",
    ),
}
DIFFERENCES |= {c.name: (set(), RULE) for c in CASES if c.kind.startswith("rule ")}


def ours(directory) -> set[Finding]:
    return {(p.file, p.row, p.column) for p in load_package(directory).problems}


def affected(case: Case | None) -> list[str]:
    """The tables whose verdict a case can change: the one it breaks, and those referring to it
    if the case changes the keys they refer to. Every other table is read as in the unbroken
    package, which frictionless finds valid. None (the unbroken package): all tables."""
    if case is None:
        return SCHEMA.names
    rows = BUNDLED[case.table][1]
    broken = case.edit([dict(row) for row in rows])

    def keys(table_rows, fields):
        return None if table_rows is None else {tuple(r[f] for f in fields) for r in table_rows}

    referring = [
        r.name
        for r in SCHEMA.resources
        for fk in r.foreign_keys
        if fk.resource == case.table
        and keys(rows, fk.reference_fields) != keys(broken, fk.reference_fields)
    ]
    return list(dict.fromkeys([case.table, *referring]))


def theirs(directory, tables: list[str]) -> set[Finding]:
    """frictionless's errors for `tables` of the package in `directory`, as (file, row, column),
    foreign keys checked against the package's other tables."""
    package = frictionless.Package(str(directory / "datapackage.json"))
    assert package.basepath == str(directory)
    found = set()
    for name in tables:
        resource = package.get_resource(name)
        for task in resource.validate().tasks:
            found |= {(resource.path, *_where(error, resource)) for error in task.errors}
    return found


def _where(error, resource) -> tuple[int | None, str | None]:
    if isinstance(error, frictionless.errors.LabelError):
        return 1, error.field_name or error.label
    if isinstance(error, frictionless.errors.CellError):
        return error.row_number, error.field_name
    if isinstance(error, frictionless.errors.ForeignKeyError):
        return error.row_number, " + ".join(error.field_names)
    if isinstance(error, frictionless.errors.PrimaryKeyError):
        return error.row_number, " + ".join(resource.schema.primary_key)
    return getattr(error, "row_number", None), None


class NetworkBlocked(AssertionError):
    """Raised by any attempt to reach the network (frictionless lets it through)."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to reach the network fails the test."""

    def refuse(*args, **kwargs):
        raise NetworkBlocked(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


CORPUS = [None, *CASES]


@pytest.mark.parametrize("case", CORPUS, ids=["unbroken", *(c.name for c in CASES)])
def test_frictionless_gives_the_same_verdict(tmp_path, case: Case | None):
    directory = build(case, tmp_path)
    mine, found = ours(directory), theirs(directory, affected(case))
    if case is not None and case.name in DIFFERENCES:
        expected, reason = DIFFERENCES[case.name]
        assert found == expected, reason
        assert mine != found, f"no longer a difference: {reason}"
    else:
        assert found == mine


def test_every_listed_difference_is_a_case_of_the_corpus():
    assert sorted(set(DIFFERENCES) - {c.name for c in CASES}) == []


def test_the_package_names_only_local_files():
    for resource in frictionless.Package(str(DESCRIPTOR)).resources:
        assert not resource.remote and helpers.is_safe_path(resource.path), resource.path


def test_frictionless_is_stopped_from_reaching_the_network(tmp_path):
    # the same block as above, on a package that does point at the network
    remote = {"name": "remote", "resources": [{"name": "r", "path": "https://example.org/r.csv",
                                               "schema": {"fields": [{"name": "a"}]}}]}  # fmt: skip
    with pytest.raises(NetworkBlocked, match=r"example\.org"):
        frictionless.Package(remote, basepath=str(tmp_path)).validate()
