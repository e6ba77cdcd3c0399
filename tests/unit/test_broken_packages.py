"""`load_package` on copies of the bundled package broken in one place (tests/unit/broken_packages).

test_validate.py checks each rule on tables in memory; these go through the files on disk, as
the app reads them, and ask for the whole list of problems: exactly the broken rule, in the
right file, row (as a spreadsheet numbers it), column and value, and nothing more.
"""

from __future__ import annotations

import copy

import pytest

from core.ingest.package import load_package
from core.model.schema import parse_descriptor
from tests.unit.broken_packages import CASES, FILE_KINDS, build, declared_kinds


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_load_package_reports_exactly_the_broken_rule(tmp_path, case):
    result = load_package(build(case, tmp_path))
    found = [(p.file, p.row, p.column, p.value) for p in result.problems]
    assert found == [(e.file, e.row, e.column, e.value) for e in case.expected]
    for problem, expected in zip(result.problems, case.expected, strict=True):
        assert expected.words in problem.rule
    assert result.ok == (not case.expected)


def test_the_unbroken_copy_loads(tmp_path):
    assert load_package(build(None, tmp_path)).problems == []


def test_case_names_are_unique():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))


def test_every_kind_of_check_has_a_broken_package(schema):
    covered = {c.kind for c in CASES}
    assert sorted(declared_kinds(schema) - covered) == []
    assert sorted(covered - declared_kinds(schema) - FILE_KINDS) == []


@pytest.mark.parametrize(
    ("where", "addition", "kind"),
    [
        ("field", {"constraints": {"minLength": 2}}, "minLength"),
        ("field", {"type": "boolean"}, "type boolean"),
        ("schema", {"foreignKeys": [{"fields": ["cis"], "reference": {
            "resource": "countries", "fields": ["csto"]}}]}, "foreignKey countries.cis"),
    ],
)  # fmt: skip
def test_a_new_kind_of_check_in_the_descriptor_is_noticed(schema, where, addition, kind):
    descriptor = copy.deepcopy(schema.descriptor)
    countries = descriptor["resources"][0]["schema"]
    target = countries["fields"][-1] if where == "field" else countries
    target.update(copy.deepcopy(addition))
    assert kind in declared_kinds(parse_descriptor(descriptor)) - {c.kind for c in CASES}
