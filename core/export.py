"""Take the data back out: CSV (safe to open in a spreadsheet), XLSX, and a zipped package."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pandas as pd

from core.schema import load_schema
from core.settings import BUNDLED_DATA_DIR

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
GUARD = "'"
PACKAGE_VERSION = str(load_schema().descriptor.get("version", ""))
CITATION = (
    f"Central Asia and the war in Ukraine: a comparison dashboard, data package version "
    f"{PACKAGE_VERSION}. Data coded from Paul Stronski (Carnegie Endowment for International "
    "Peace, March 2022), UN Digital Library voting records and dated public reports 2022-2025 "
    "(sources.csv); licensed CC BY 4.0."
)


def neutralise(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: a leading = + - @ tab or CR gets an
    apostrophe in front, unless the cell is a plain number such as -2."""
    text = str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return GUARD + text
    return text


def restore(value: str) -> str:
    """Undo `neutralise` on import, so that an exported file re-imports unchanged."""
    if value.startswith(GUARD) and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell neutralised (see `neutralise`)."""
    return frame.astype(str).map(neutralise)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with a byte-order mark (so Excel reads the accents), formulas off."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters a workbook cannot hold (openpyxl refuses them); shown as U+FFFD instead."""


def xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """All tables as sheets of one workbook, formulas off, control characters replaced."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in tables.items():
            clean = safe_frame(frame).map(lambda v: XLSX_ILLEGAL.sub("\ufffd", v))
            clean.to_excel(writer, sheet_name=name[:31], index=False)
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
        archive.writestr("CITATION.txt", CITATION + "\n")
    return out.getvalue()
