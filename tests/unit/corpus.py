"""A corpus of bad (and awkward but valid) files, built in memory so none is committed large."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import Workbook

from core.settings import BUNDLED_DATA_DIR

POSITIONS = (BUNDLED_DATA_DIR / "positions.csv").read_text(encoding="utf-8")
HEADER = POSITIONS.splitlines()[0]


def positions_with(line_index: int, column: str, value: str) -> bytes:
    """positions.csv with one field of one data row changed."""
    lines = POSITIONS.splitlines()
    columns = HEADER.split(",")
    rows = list(csv.reader(lines))
    rows[line_index][columns.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def xlsx(rows: list[list], merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def package_members() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in BUNDLED_DATA_DIR.glob("*.csv")}


WIDE = "country,UNGA ES-11/1,dpr_lpr_recognition\nKyrgyz Republic,abstain,\nTürkiye,yes,refuses\n"

# name -> (file name, bytes, words the first problem's rule must contain)
BAD_FILES = {
    "empty file": ("empty.csv", b"", "empty"),
    "header only": ("header.csv", HEADER.encode(), "no data rows"),
    "binary junk": ("junk.csv", bytes(range(256)) * 40, "not a text file"),
    "60 MB file": ("big.csv", b"a,b\n" + b"1,2\n" * (15 * 1024 * 1024), "limit is 20 MB"),
    "wrong type": ("data.pdf", b"%PDF-1.4", "use a .csv"),
    "unknown country": ("wide.csv", WIDE.replace("Türkiye", "Narnia").encode(), "country name"),
    "unknown stance": ("wide.csv", WIDE.replace("refuses", "maybe").encode(), "not a stance"),
    "bad date": ("positions.csv", positions_with(1, "date", "2022-02-30"), "real date"),
    "score out of range": (
        "wide.csv",
        b"country,troop_request,as_of\nKAZ,7,2022-03-01\n",
        "score -2..+2",
    ),
    "text in a date column": ("positions.csv", positions_with(2, "date", "soon"), "real date"),
    "duplicate rows": (
        "positions.csv",
        (POSITIONS + POSITIONS.splitlines()[1] + "\n").encode(),
        "may appear only once",
    ),
    "merged cells": (
        "sheet.xlsx",
        xlsx([["country", "troop_request"], ["KAZ", "refused"], ["KGZ", ""]], merge="A2:A3"),
        "merged cells",
    ),
    "broken xlsx": ("sheet.xlsx", b"PK\x03\x04 not really", "not a readable Excel"),
    "zip with an extra member": (
        "pkg.zip",
        zipped(package_members() | {"notes.txt": b"hello"}),
        "unexpected file",
    ),
    "zip without positions": (
        "pkg.zip",
        zipped({k: v for k, v in package_members().items() if k != "positions.csv"}),
        "no positions.csv",
    ),
    "not a zip": ("pkg.zip", b"hello", "not a readable zip"),
    "matrix without a date": ("wide.csv", WIDE.encode(), "no date"),
    "row longer than the header": (
        "wide.csv",
        b"country,troop_request\nKAZ,refused,oops\n",
        "header has",
    ),
    "wrong delimiter": ("wide.csv", b"country;troop_request\nKAZ;refused,x,y\n", "not a stance"),
    "repeated column": ("wide.csv", b"country,a,a\nKAZ,1,2\n", "column twice"),
}
