"""One test per schema rule: each problem names the file, row, column, value and rule."""

from __future__ import annotations

import pandas as pd
import pytest

from core.ingest.package import load_tables
from core.ingest.validate import validate_tables
from core.model.problems import Problem, problems_frame

# Spreadsheet row of the first data row (the header is row 1).
ROW = 2


def only(problems: list[Problem], file: str, column: str) -> Problem:
    found = [p for p in problems if p.file == file and p.column == column]
    assert len(found) == 1, problems
    return found[0]


def set_cell(tables, table, column, value, index=0):
    tables[table].loc[index, column] = value


@pytest.mark.parametrize(
    ("table", "column", "value", "words"),
    [
        ("positions", "country", "", "a value is required"),
        ("positions", "date", "2022-02-30", "real date written YYYY-MM-DD"),
        ("positions", "date", "02/03/2022", "real date written YYYY-MM-DD"),
        ("stances", "score", "two", "whole number"),
        ("stances", "score", "1.5", "whole number"),
        ("stances", "score", "3", "at most 2"),
        ("stances", "score", "-7", "at least -2"),
        ("positions", "confidence", "certain", "one of: high, medium, low"),
        ("positions", "date_precision", "week", "one of: day, month, approximate"),
        ("countries", "iso3", "kaz", "pattern [A-Z]{3}"),
        ("positions", "summary", "x" * 301, "at most 300 characters"),
        ("issues", "order", "0", "at least 1"),
        ("sources", "url", "http://insecure.example", "pattern https://"),
    ],
)
def test_field_rule_names_row_column_value(tables, schema, table, column, value, words):
    set_cell(tables, table, column, value)
    problem = only(validate_tables(tables, schema), f"{table}.csv", column)
    assert problem.row == ROW
    assert problem.value == value
    assert words in problem.rule


def test_unique_names_the_earlier_row(tables, schema):
    tables["countries"].loc[3, "iso3"] = tables["countries"].loc[0, "iso3"]
    problem = only(validate_tables(tables, schema), "countries.csv", "iso3")
    assert (problem.row, problem.value) == (3 + ROW, "KAZ")
    assert "already in row 2" in problem.rule


def test_composite_primary_key_duplicate(tables, schema):
    pos = tables["positions"]
    tables["positions"] = pd.concat([pos, pos.iloc[[4]]], ignore_index=True)
    problem = only(validate_tables(tables, schema), "positions.csv", "country + issue + date")
    assert problem.row == len(pos) + ROW
    assert f"repeats row {4 + ROW}" in problem.rule


def test_each_repeat_names_the_first_row_of_its_own_key(tables, schema):
    pos = tables["positions"]
    tables["positions"] = pd.concat([pos, pos.iloc[[7, 2, 7]]], ignore_index=True)
    problems = [p for p in validate_tables(tables, schema) if p.column == "country + issue + date"]
    first = {p.row: p.rule.split(":")[0] for p in problems}
    n = len(pos) + ROW
    assert first == {n: f"repeats row {7 + ROW}", n + 1: f"repeats row {2 + ROW}",
                     n + 2: f"repeats row {7 + ROW}"}  # fmt: skip
    row = pos.iloc[2]
    assert problems[1].value == f"country={row.country}, issue={row.issue}, date={row.date}"


def test_foreign_key_single_column(tables, schema):
    set_cell(tables, "positions", "source", "S9")
    problem = only(validate_tables(tables, schema), "positions.csv", "source")
    assert (problem.row, problem.value) == (ROW, "S9")
    assert "no row in sources.csv" in problem.rule


def test_foreign_key_composite_stance_must_be_in_codebook(tables, schema):
    set_cell(tables, "positions", "stance", "yes")  # row 0 is not a UN vote
    problem = only(validate_tables(tables, schema), "positions.csv", "issue + stance")
    assert problem.row == ROW
    assert "stance=yes" in problem.value
    assert "no row in stances.csv has this issue + stance" in problem.rule


def test_unknown_country_is_a_foreign_key_problem(tables, schema):
    set_cell(tables, "positions", "country", "UKR")
    problem = only(validate_tables(tables, schema), "positions.csv", "country")
    assert "countries.csv" in problem.rule


def test_missing_and_unknown_columns(tables, schema):
    tables["sources"] = tables["sources"].drop(columns=["publisher"]).assign(extra="x")
    problems = validate_tables(tables, schema)
    missing = only(problems, "sources.csv", "publisher")
    extra = only(problems, "sources.csv", "extra")
    assert missing.row == 1 and "missing from the header" in missing.rule
    assert extra.row == 1 and "not in the schema" in extra.rule


def test_missing_table(tables, schema):
    del tables["events"]
    problems = validate_tables(tables, schema)
    assert Problem("events.csv", None, None, None, "the package has no such table") in problems


def test_all_problems_are_reported_not_only_the_first(tables, schema):
    for i in range(5):
        set_cell(tables, "positions", "confidence", "sure", index=i)
    set_cell(tables, "stances", "score", "9")
    problems = validate_tables(tables, schema)
    assert len([p for p in problems if p.column == "confidence"]) == 5
    assert len([p for p in problems if p.column == "score"]) == 1


@pytest.mark.parametrize(
    ("table", "column", "value", "index", "words"),
    [
        ("issues", "applies_to", "KAZ XXX", 0, "names XXX, which is not in countries.csv"),
        ("positions", "date_precision", "month", None, "first day of the month"),
        ("positions", "country", "RUS", None, "does not apply to RUS"),
    ],
)
def test_cross_table_rules(tables, table, column, value, index, words):
    if index is None:  # pick a row where the change breaks exactly this rule
        pos = tables["positions"]
        if column == "date_precision":
            index = pos.index[~pos["date"].str.endswith("-01")][0]
        else:
            index = pos.index[pos["issue"] == "official_stance"][0]
    set_cell(tables, table, column, value, index=index)
    result = load_tables(tables)
    assert not result.ok
    problem = result.problems[0]
    assert problem.file == f"{table}.csv"
    assert problem.row == index + ROW
    assert words in problem.rule


def test_issue_without_stances(tables):
    stances = tables["stances"]
    tables["stances"] = stances[stances["issue"] != "flights_to_russia"].reset_index(drop=True)
    pos = tables["positions"]
    tables["positions"] = pos[pos["issue"] != "flights_to_russia"].reset_index(drop=True)
    further = tables["observation_sources"]
    tables["observation_sources"] = further[further["issue"] != "flights_to_russia"]
    result = load_tables(tables)
    assert [p.value for p in result.problems] == ["flights_to_russia"]
    assert "no stances" in result.problems[0].rule


def test_further_source_of_a_missing_observation_is_reported(tables):
    further = tables["observation_sources"]
    tables["observation_sources"] = pd.concat(
        [further, pd.DataFrame([{"country": "KAZ", "issue": "troop_request", "date": "2030-01-01",
                                 "source": "S1", "locator": "x"}])], ignore_index=True,
    )  # fmt: skip
    problems = load_tables(tables).problems
    assert [(p.file, p.column) for p in problems] == [
        ("observation_sources.csv", "country + issue + date")
    ]
    assert "no row in positions.csv" in problems[0].rule


def test_package_without_further_sources_still_loads(tables):
    del tables["observation_sources"]
    result = load_tables(tables)
    assert result.ok and result.dataset.observation_sources.empty


def test_problem_reads_as_a_sentence():
    p = Problem("positions.csv", 7, "score", "9", "must be at most 2")
    assert str(p) == "positions.csv, row 7, column 'score': value '9' — must be at most 2"


def test_problems_frame_columns():
    frame = problems_frame([Problem("a.csv", 3, "x", "v", "rule")])
    assert list(frame.columns) == ["file", "row", "column", "value", "rule"]
    assert frame.loc[0, "row"] == 3


def test_an_exclusion_may_name_a_country_the_data_lacks(tables):
    tables["issues"].loc[0, "applies_to"] = "all -XYZ"
    assert load_tables(tables).ok


DATE_RANGE = "must be between 1900-01-01 and 2100-12-31"


def test_every_date_field_is_bounded_in_the_schema(schema):
    dates = [f for r in schema.resources for f in r.fields if f.type == "date"]
    assert dates
    for f in dates:
        assert (f.constraints.get("minimum"), f.constraints.get("maximum")) == (
            "1900-01-01",
            "2100-12-31",
        ), f.name


@pytest.mark.parametrize("value", ["0022-03-01", "0001-01-01", "1899-12-31", "2101-01-01",
                                   "9999-12-31"])  # fmt: skip
@pytest.mark.parametrize("table", ["positions", "observation_sources", "events"])
def test_a_date_outside_the_range_pandas_can_hold_is_a_problem(tables, schema, table, value):
    set_cell(tables, table, "date", value)
    problems = [p for p in validate_tables(tables, schema) if p.rule == DATE_RANGE]
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        (f"{table}.csv", ROW, "date", value)
    ]


def test_dates_at_both_bounds_are_valid(tables, schema):
    for index, value in enumerate(["1900-01-01", "2100-12-31"]):
        set_cell(tables, "events", "date", value, index=index)
    assert validate_tables(tables, schema) == []


def test_a_one_sided_date_range_is_said_in_words():
    from core.ingest.validate import check_field
    from core.model.schema import Field

    field = Field("d", "date", "d", {"maximum": "2000-01-01"})
    problems = check_field("f.csv", field, pd.Series(["1999-01-01", "2001-01-01"]))
    assert [(p.row, p.rule) for p in problems] == [(ROW + 1, "must be on or before 2000-01-01")]
