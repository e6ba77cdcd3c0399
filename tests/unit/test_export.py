"""Export: formula injection neutralised, and export then re-import gives the same dataset."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.ingest.conform import TABLES, base_tables
from core.ingest.importing import import_file
from core.model.schema import load_schema
from core.model.spreadsheet import FORMULA_START, PLAIN_NUMBER, neutralise, restore
from core.serving.export import csv_bytes, dataset_citation, package_zip, xlsx_bytes

TRICKY = list("=+-@\t\r\n'a1. ")


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+cmd", "'+cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-2", "-2"),
        ("+1", "+1"),
        ("2022-03-01", "2022-03-01"),
        ("Kazakhstan", "Kazakhstan"),
        ('safe first line\n=HYPERLINK("x")', 'safe first line\n\'=HYPERLINK("x")'),
        ("a\r+cmd", "a\r'+cmd"),
        ("a\r\n@SUM(A1)\nfine\n-x", "a\r\n'@SUM(A1)\nfine\n'-x"),
        ("-2\n=1+1", "'-2\n'=1+1"),
        ("'=already quoted", "''=already quoted"),
        ("it's fine", "it's fine"),
    ],
)
def test_neutralise(value, safe):
    assert neutralise(value) == safe
    assert restore(safe) == value


def lines(text: str) -> list[str]:
    """The cell's start and what follows each CR or LF: where a spreadsheet may start a cell."""
    return [text] + [text[i + 1 :] for i, ch in enumerate(text) if ch in "\r\n"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY), max_size=12) | st.text(max_size=12))
def test_no_line_starts_a_formula_and_restore_undoes_neutralise(text):
    safe = neutralise(text)
    assert restore(safe) == text
    if not PLAIN_NUMBER.fullmatch(text):
        assert not [line for line in lines(safe) if line.startswith(FORMULA_START)]


def test_csv_export_has_no_live_formula():
    frame = pd.DataFrame({"summary": ["=1+1", "fine"], "score": ["-2", "1"]})
    rows = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert rows == ['"summary","score"', '"\'=1+1","-2"', '"fine","1"']


@pytest.mark.parametrize("text", ["a\rb", "  leading spaces", "trailing \r", "\r\n", " ,;\t"])
def test_csv_export_reads_back_exactly(text):
    from core.ingest.read import read_upload

    frame = pd.DataFrame({"summary": [text, "x"], "score": ["-2", " 1"]})
    tables, problems = read_upload("export.csv", csv_bytes(frame))
    assert problems == []
    pd.testing.assert_frame_equal(tables["table"], frame, check_dtype=False)


def test_zip_package_round_trip(dataset):
    raw = package_zip(base_tables(dataset))
    names = set(zipfile.ZipFile(io.BytesIO(raw)).namelist())
    assert {"datapackage.json", "README.md", "CITATION.txt", "positions.csv"} <= names
    back = import_file("export.zip", raw, dataset)
    assert back.problems == []
    assert back.dataset.fingerprint == dataset.fingerprint


def test_zip_round_trip_keeps_dangerous_text(dataset):
    tables = base_tables(dataset)
    tables["positions"].loc[0, "summary"] = "=cmd|' /C calc'!A0 and more"
    raw = package_zip(tables)
    positions = zipfile.ZipFile(io.BytesIO(raw)).read("positions.csv").decode("utf-8-sig")
    assert "'=cmd" in positions  # neutralised in the file
    back = import_file("export.zip", raw, dataset)
    assert back.dataset.positions.loc[0, "summary"] == "=cmd|' /C calc'!A0 and more"


def test_zip_round_trip_keeps_formulas_on_later_lines(dataset):
    tables = base_tables(dataset)
    text = "first line\n=cmd|' /C calc'!A0\r\n'-already quoted"
    tables["positions"].loc[0, "summary"] = text
    raw = package_zip(tables)
    positions = zipfile.ZipFile(io.BytesIO(raw)).read("positions.csv").decode("utf-8-sig")
    assert "\n'=cmd" in positions
    back = import_file("export.zip", raw, dataset)
    assert back.dataset.positions.loc[0, "summary"] == text


def workbook(tables):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(xlsx_bytes(tables)))


def test_xlsx_opens_on_positions_with_a_sheet_per_table_and_a_readme(dataset):
    book = workbook(base_tables(dataset))
    assert book.sheetnames == ["positions", *(t for t in TABLES if t != "positions"), "README"]
    assert book.active.title == "positions"
    readme = [c.value for c in book["README"]["A"]]
    assert dataset_citation(dataset) in readme
    assert any("data package version" in str(line) for line in readme)


def test_an_edited_dataset_is_cited_from_its_own_sources_without_the_package_version(tables):
    tables["positions"] = tables["positions"][tables["positions"]["source"] != "S1"]
    tables["observation_sources"] = tables["observation_sources"].iloc[0:0]
    cited = zipfile.ZipFile(io.BytesIO(package_zip(tables))).read("CITATION.txt").decode()
    assert cited.startswith("Imported data") and "version" not in cited
    assert "Stronski" not in cited  # S1 is in the sources table, but nothing cites it any more


def test_xlsx_types_numbers_and_dates_by_the_schema(dataset):
    book = workbook(base_tables(dataset))
    schema = load_schema()
    for name in ("positions", "stances", "issues", "events"):
        sheet = book[name]
        header = [c.value for c in sheet[1]]
        for f in schema.resource(name).fields:
            cell = sheet.cell(row=2, column=header.index(f.name) + 1)
            if f.type == "integer":
                assert isinstance(cell.value, int), (name, f.name, cell.value)
            elif f.type == "date":
                assert isinstance(cell.value, dt.datetime), (name, f.name, cell.value)
                assert cell.number_format == "YYYY-MM-DD"
            else:
                assert cell.value is None or isinstance(cell.value, str), (name, f.name)
    first = dataset.positions.iloc[0]
    assert book["positions"]["C2"].value == first["date"].to_pydatetime()
    assert book["stances"]["D2"].value == dataset.stances.iloc[0]["score"]


def test_xlsx_text_that_looks_like_a_number_stays_text(dataset):
    tables = base_tables(dataset)
    tables["positions"].loc[0, "summary"] = "-2"
    tables["positions"].loc[1, "summary"] = "a\n=1+1"
    sheet = workbook(tables)["positions"]
    assert sheet["G2"].value == "-2" and sheet["G3"].value == "a\n'=1+1"


def test_xlsx_holds_text_with_control_characters(dataset):
    from openpyxl import load_workbook

    tables = base_tables(dataset)
    tables["positions"].loc[0, "summary"] = "bell\x07 and nul\x00 inside"
    book = load_workbook(io.BytesIO(xlsx_bytes(tables)))
    assert book["positions"]["G2"].value == "bell\ufffd and nul\ufffd inside"


def test_xlsx_round_trip(dataset):
    back = import_file("export.xlsx", xlsx_bytes(base_tables(dataset)), dataset)
    assert back.problems == []
    assert back.dataset.fingerprint == dataset.fingerprint
