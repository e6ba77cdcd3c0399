"""A corpus of bad (and awkward but valid) files, built in memory so none is committed large."""

from __future__ import annotations

import csv
import io
import struct
import zipfile
import zlib

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


def xlsx(rows: list[list], merge: str | None = None, hidden: str | None = None,
         state: str = "hidden") -> bytes:  # fmt: skip
    """A workbook whose first sheet holds `rows`; `hidden` adds a second sheet in `state`."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if hidden:
        book.create_sheet(hidden).sheet_state = state
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MB = 1024 * 1024


def deflated(head: bytes, unit: bytes, size: int, tail: bytes = b"") -> tuple[bytes, int, int]:
    """Raw deflate data of `head`, then `unit` repeated to about `size` bytes, then `tail`: made
    in milliseconds however large `size` is (one flushed megabyte, repeated). Returns the data,
    the CRC-32 and the length of what it inflates to."""
    chunk = unit * (MB // len(unit))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    piece = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)  # the state is reset here
    end = packer.compress(tail) + packer.flush()
    count = max(1, size // len(chunk))
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return start + piece * count + end, crc, len(head) + len(chunk) * count + len(tail)


def raw_zip(members: list[tuple]) -> bytes:
    """A zip written byte by byte, so that its headers can say anything: each member is
    (name, data as stored, crc, size unpacked[, method[, flags[, size claimed]]])."""
    out, directory = io.BytesIO(), []
    for name, data, crc, size, *rest in members:
        method, flags, claimed = (rest + [zipfile.ZIP_DEFLATED, 0, size][len(rest) :])[:3]
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 33, crc,
                              len(data), claimed, len(encoded), 0) + encoded + data)  # fmt: skip
        directory.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, 0, 33,
                                     crc, len(data), claimed, len(encoded), 0, 0, 0, 0, 0,
                                     offset) + encoded)  # fmt: skip
    start = out.tell()
    out.write(b"".join(directory))
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(directory), len(directory),
                          out.tell() - start, start, 0))  # fmt: skip
    return out.getvalue()


def member(name: str, content: bytes, **changes) -> tuple:
    """A raw_zip member holding `content`, deflated; `changes` may set method, flags, crc,
    claimed (the size the headers claim)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = packer.compress(content) + packer.flush()
    crc = changes.get("crc", zlib.crc32(content))
    return (name, data, crc, len(content), changes.get("method", zipfile.ZIP_DEFLATED),
            changes.get("flags", 0), changes.get("claimed", len(content)))  # fmt: skip


def zip_bomb_member(name: str, size: int, unit: bytes = b"1,2\n") -> tuple:
    """A raw_zip member that inflates to `size` bytes of `unit`, honestly declared."""
    data, crc, length = deflated(b"a,b\n", unit, size)
    return (name, data, crc, length)


BOMB_ROW = b'<row><c t="inlineStr"><is><t>' + b"KAZ " * 50 + b"</t></is></c></row>"


def xlsx_bomb(size: int, row: bytes = BOMB_ROW) -> bytes:
    """A workbook whose sheet XML inflates to about `size` bytes of rows (1 GB fits in a
    megabyte of zip): the other parts come from a real workbook."""
    real = zipfile.ZipFile(io.BytesIO(xlsx([["country"], ["KAZ"]])))
    sheet = "xl/worksheets/sheet1.xml"
    members = [member(i.filename, real.read(i)) for i in real.infolist() if i.filename != sheet]
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
            b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')  # fmt: skip
    data, crc, length = deflated(head, row, size, b"</sheetData></worksheet>")
    return raw_zip([*members, (sheet, data, crc, length)])


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
    # hostile files: each must be refused quickly, within bounded memory
    "ten million (almost) one-character rows": (
        "rows.csv",
        b"a\n" + b"1\n" * 9_999_000,  # just under the 20 MB limit
        "the limit is 100,000",
    ),
    "10,000 columns": (
        "wide.csv",
        (",".join(["c"] * 10_000) + "\n").encode() * 2,
        "limit is 1,000",
    ),
    "a 300 KB quoted line": (
        "long.csv",
        b'country,summary\nKAZ,"' + b"a,b;c\t" * 50_000 + b'"\n',
        "longer than 100,000 characters",
    ),
    "unclosed quote": (
        "positions.csv",
        (
            HEADER
            + '\nKAZ,x,2022-03-01,day,y,high,"never closed,S1,p\n'
            + "UZB,x,2022-03-01,day,y,high,plain,S1,p\n" * 3
        ).encode(),
        "a quote opened in row 2 is not closed; it swallowed the next 3 lines",
    ),
    "a column twice in other case": (
        "wide.csv",
        b"Country,troop_request,country \nKAZ,refused,KAZ\n",
        "column twice",
    ),
    "invisible character in a code": (
        "positions.csv",
        positions_with(1, "country", "KAZ\u200b"),
        "invisible character",
    ),
    "Windows-1252 or -1251": (
        "wide.csv",
        "country,note\nKAZ,é\n".encode("cp1252"),
        "save the file as UTF-8",
    ),
    "zip member unpacking past 20 MB": (
        "pkg.zip",
        raw_zip([zip_bomb_member("positions.csv", 25 * MB)]),
        "more than 20 MB",
    ),
    "zip unpacking past 60 MB": (
        "pkg.zip",
        raw_zip(
            [
                zip_bomb_member(n, 19 * MB)
                for n in ("positions.csv", "countries.csv", "issues.csv", "stances.csv")
            ]
        ),
        "more than 60 MB",
    ),
    "zip of 60 members of 19 MB": (
        "pkg.zip",
        raw_zip([(f"d{i}/positions.csv", *zip_bomb_member("", 19 * MB)[1:]) for i in range(60)]),
        "more than 50 files",
    ),
    "zip with a name twice": (
        "pkg.zip",
        zipped(package_members() | {"old/positions.csv": b"country\n"}),
        "more than once",
    ),
    "zip whose header understates a size": (
        "pkg.zip",
        raw_zip([member("positions.csv", POSITIONS.encode() * 20, claimed=1000)]),
        "cannot be unpacked",
    ),
    "zip with a bad checksum": (
        "pkg.zip",
        raw_zip([member("positions.csv", POSITIONS.encode(), crc=1)]),
        "cannot be unpacked",
    ),
    "zip with a password": (
        "pkg.zip",
        raw_zip([member("positions.csv", POSITIONS.encode(), flags=1)]),
        "password",
    ),
    "zip packed with bzip2": (
        "pkg.zip",
        raw_zip([member("positions.csv", POSITIONS.encode(), method=zipfile.ZIP_BZIP2)]),
        "unusual method",
    ),
    "xlsx whose sheet inflates to 100 MB": ("bomb.xlsx", xlsx_bomb(100 * MB), "more than 50 MB"),
    "xlsx with a hidden sheet": (
        "sheet.xlsx",
        xlsx([["country", "troop_request"], ["KAZ", "refused"]], hidden="old"),
        "hidden sheet 'old'",
    ),
    "xlsx with a formula without a result": (
        "sheet.xlsx",
        xlsx([["country", "troop_request", "as_of"], ["KAZ", '=IF(1,"refused")', "2022-03-01"]]),
        "formula but no saved result",
    ),
}
