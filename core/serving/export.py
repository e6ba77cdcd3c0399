"""Take the data back out: CSV (safe to open in a spreadsheet), XLSX, and a zipped package.

A text cell a spreadsheet could run as a formula gets an apostrophe (`neutralise`); importing
the file back removes it again (`restore`), so our own exports re-import to the same data.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from functools import cache

import pandas as pd

from core.ingest.conform import TABLES
from core.ingest.package import load_package
from core.model.dataset import Dataset, typed_dataset
from core.model.provenance import citation, read_descriptor
from core.model.schema import load_schema
from core.model.spreadsheet import neutralise
from core.settings import BUNDLED_DATA_DIR, DATA_DIR

NUMBER_TYPES = {"integer", "number"}
DATE_TYPES = {"date"}
EXCEL_DATE_FORMAT = "YYYY-MM-DD"
FIRST_SHEET = "positions"
README_SHEET = "README"
README_HEAD = ("The data behind the dashboard.", "", "Cite as:")
README_LINES = (
    "",
    "One sheet per table of the data package; datapackage.json in the zipped package describes "
    "every column.",
    "Scores, orders and steps are numbers; dates are Excel dates shown as YYYY-MM-DD.",
    "A text line that starts with = + - @ or a tab has an apostrophe in front so that a "
    "spreadsheet cannot run it as a formula; importing the file back removes the apostrophe.",
    "Control characters a workbook cannot hold are shown as \ufffd; the CSV and zip exports "
    "keep them.",
)


@cache
def _configured_fingerprint() -> str:
    result = load_package(DATA_DIR)
    return result.dataset.fingerprint if result.ok else ""


def package_descriptor(ds: Dataset) -> dict:
    """The descriptor of the configured package (DATA_DIR) if `ds` is its data unchanged, else
    {}: imported or edited data is no release of that package and has no version of its own."""
    return read_descriptor(DATA_DIR) if ds.fingerprint == _configured_fingerprint() else {}


def dataset_citation(ds: Dataset) -> str:
    """How to cite `ds` (see `core.model.provenance.citation`)."""
    return citation(ds, package_descriptor(ds))


def _tables_citation(tables: dict[str, pd.DataFrame]) -> str:
    return dataset_citation(typed_dataset({name: tables[name] for name in TABLES}))


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell neutralised (see `neutralise`)."""
    return frame.astype(str).map(neutralise)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with a byte-order mark (so Excel reads the accents), formulas off.
    Every field is quoted, so that a lone carriage return or a leading space stays in its cell
    when the file is read back."""
    return safe_frame(frame).to_csv(index=False, quoting=csv.QUOTE_ALL).encode("utf-8-sig")


XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters a workbook cannot hold (openpyxl refuses them); shown as U+FFFD instead."""


def xlsx_text(value: object) -> str:
    """A text for a worksheet: formulas off, control characters a workbook refuses replaced."""
    return XLSX_ILLEGAL.sub("\ufffd", neutralise(value))


def _field_types(name: str) -> dict[str, str]:
    schema = load_schema()
    if name not in schema.names:
        return {}
    return {f.name: f.type for f in schema.resource(name).fields}


def xlsx_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table ready for a worksheet: the schema's number fields as numbers, its date fields as
    dates, everything else as text with formulas off and control characters replaced. A value
    that does not read as its type (or is empty) stays text (or an empty cell)."""
    types = _field_types(name)
    out = {}
    for column in frame.columns:
        text = frame[column].astype(str)
        kind = types.get(column, "string")
        if kind in NUMBER_TYPES:
            typed = pd.to_numeric(text, errors="coerce")
        elif kind in DATE_TYPES:
            typed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        else:
            out[column] = text.map(xlsx_text)
            continue
        if typed.notna().all():
            out[column] = typed
        else:  # a few odd values: keep them as text, the rest typed, blanks empty
            cells = typed.astype(object).where(typed.notna(), text.map(xlsx_text))
            out[column] = cells.where(text.str.strip() != "", None)
    return pd.DataFrame(out, index=frame.index)


def sheet_order(names: list[str]) -> list[str]:
    """Positions first (the sheet a spreadsheet opens on and an import reads), then the rest."""
    return sorted(names, key=lambda n: n != FIRST_SHEET)


def xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """All tables as sheets of one workbook, positions first, typed by the schema, formulas off,
    control characters replaced; a README sheet with the citation comes last."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name in sheet_order(list(tables)):
            frame = xlsx_frame(name, tables[name])
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for number, column in enumerate(frame.columns, start=1):
                if _field_types(name).get(column) in DATE_TYPES:
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                        cell.number_format = EXCEL_DATE_FORMAT
        lines = [*README_HEAD, _tables_citation(tables), *README_LINES]
        readme = pd.DataFrame({README_SHEET: [xlsx_text(line) for line in lines]})
        readme.to_excel(writer, sheet_name=README_SHEET, index=False)
        book = writer.book
        book.active = 0
        for sheet in book.worksheets:
            sheet.sheet_view.tabSelected = sheet is book.worksheets[0]
        book[README_SHEET].column_dimensions["A"].width = 120
    return out.getvalue()


def package_zip(tables: dict[str, pd.DataFrame], note: str = "") -> bytes:
    """A zipped data package: the CSV tables, their schema, a README and the citation."""
    schema = load_schema()
    readme = (BUNDLED_DATA_DIR / "README.md").read_text(encoding="utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(schema.descriptor, indent=2))
        for resource in schema.resources:
            if resource.name in tables:
                archive.writestr(resource.path, csv_bytes(tables[resource.name]))
        archive.writestr("README.md", (note + "\n\n" if note else "") + readme)
        archive.writestr("CITATION.txt", _tables_citation(tables) + "\n")
    return out.getvalue()
