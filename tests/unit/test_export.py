"""Export: formula injection neutralised, and export then re-import gives the same dataset."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from core.conform import TABLES, base_tables, import_file
from core.export import csv_bytes, neutralise, package_zip, xlsx_bytes


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
    ],
)
def test_neutralise(value, safe):
    assert neutralise(value) == safe


def test_csv_export_has_no_live_formula():
    frame = pd.DataFrame({"summary": ["=1+1", "fine"], "score": ["-2", "1"]})
    rows = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert rows == ["summary,score", "'=1+1,-2", "fine,1"]


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


def test_xlsx_has_a_sheet_per_table(dataset):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx_bytes(base_tables(dataset))))
    assert book.sheetnames == list(TABLES)


def test_xlsx_holds_text_with_control_characters(dataset):
    from openpyxl import load_workbook

    tables = base_tables(dataset)
    tables["positions"].loc[0, "summary"] = "bell\x07 and nul\x00 inside"
    book = load_workbook(io.BytesIO(xlsx_bytes(tables)))
    assert book["positions"]["G2"].value == "bell\ufffd and nul\ufffd inside"
