"""Read a user's file into tables of strings, whatever the spreadsheet did to it.

Handles UTF-8 with or without a byte-order mark and Windows-1251 text; `,`, `;` and tab
delimiters; XLSX (merged cells are refused, naming the range); and a zip of a data package.
Every failure is a Problem naming the file and, where it can, the row and column; nothing here
raises on bad input.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import PurePosixPath

import pandas as pd

from core.export import restore
from core.problems import Problem
from core.schema import PackageSchema, load_schema
from core.settings import MAX_UPLOAD_MB

MAX_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_ROWS = 100_000
"""Largest table accepted: 193 countries x 60 issues x 5 observations is about 58,000 rows."""
DELIMITERS = [",", ";", "\t"]
ENCODINGS = ["utf-8-sig", "cp1251"]
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
PACKAGE_EXTRAS = {"datapackage.json", "README.md", "CITATION.txt"}  # read past, not imported
CONTROL_LIMIT = 0.01  # share of control characters above which a "text" file is binary junk


def _problem(file: str, rule: str, row: int | None = None, column: str | None = None,
             value: str | None = None) -> Problem:  # fmt: skip
    return Problem(file, row, column, value, rule)


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """The text of a file: UTF-8 (a byte-order mark is dropped), else Windows-1251."""
    if b"\x00" in raw[:4096]:
        return None, [_problem(file, "this is not a text file (it contains NUL bytes)")]
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t")
        if text and controls / min(len(text), 20000) > CONTROL_LIMIT:
            return None, [_problem(file, "this is not a text file (it is full of control codes)")]
        return text, []
    return None, [_problem(file, "the text is neither UTF-8 nor Windows-1251")]


SNIFF_BYTES = 8192
"""The delimiter is judged from at most this many characters at the start of the file."""
SNIFF_LINES = 20


def _counts_outside_quotes(line: str) -> dict[str, int]:
    """How often each candidate delimiter occurs in `line` outside double quotes (one pass)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return counts


def sniff_delimiter(text: str) -> str:
    """The most likely of `,` `;` and tab: the one found on every line of the first few (outside
    quotes) most consistently, judged from a bounded sample so that any file takes the same time.
    Ties and undecidable samples fall back to the comma."""
    lines = [line for line in text[:SNIFF_BYTES].splitlines()[:SNIFF_LINES] if line.strip()]
    if len(lines) > 1 and len(text) > SNIFF_BYTES:
        lines = lines[:-1]  # the last line of the sample may be cut short
    if not lines:
        return ","
    per_line = [_counts_outside_quotes(line) for line in lines]

    def score(delimiter: str) -> tuple[int, int]:
        counts = [c[delimiter] for c in per_line]
        return (min(counts), -len(set(counts)))  # present on every line, the same number of times

    best = max(DELIMITERS, key=lambda d: (score(d), d == ","))
    return best if score(best)[0] > 0 else max(DELIMITERS, key=lambda d: per_line[0][d])


def parse_text(
    text: str, file: str, allow_empty: bool = False
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """A delimited text as a frame of strings (header in row 1); with `allow_empty`, a header
    without rows is an empty table rather than a problem."""
    if not text.strip():
        return None, [_problem(file, "the file is empty")]
    delimiter = sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True))
    except csv.Error as exc:
        return None, [_problem(file, f"the rows cannot be split into columns ({exc})")]
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return None, [_problem(file, "the file is empty")]
    width = len(rows[0])
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            rule = (f"this row has {len(row)} values but the header has {width} columns; "
                    f"check the delimiter ('{delimiter}') and quotes")  # fmt: skip
            return None, [_problem(file, rule, row=number)]
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=rows[0], dtype=str)
    return _checked(frame, file, allow_empty)


def _checked(
    frame: pd.DataFrame, file: str, allow_empty: bool = False
) -> tuple[pd.DataFrame | None, list[Problem]]:
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.fillna("").astype(str).map(restore)  # undo the formula guard of our own exports
    if frame.empty and not allow_empty:
        return None, [_problem(file, "the file has a header but no data rows")]
    if len(frame) > MAX_ROWS:
        rule = f"the file has {len(frame):,} rows; the limit is {MAX_ROWS:,}"
        return None, [_problem(file, rule)]
    repeated = sorted(c for c, n in Counter(frame.columns).items() if n > 1)  # linear, not n²
    if repeated:
        rule = f"the header names a column twice: {', '.join(repeated)}"
        return None, [_problem(file, rule, row=1)]
    unnamed = [c for c in frame.columns if not c or c.startswith("Unnamed:")]
    if unnamed:
        return None, [_problem(file, "a column has no name in the header row", row=1)]
    return frame, []


def read_xlsx(raw: bytes, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The first sheet of a workbook as a frame of strings; merged cells are refused."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        return None, [
            _problem(file, f"this is not a readable Excel workbook ({type(exc).__name__})")
        ]
    sheet = workbook.worksheets[0]
    merged = list(sheet.merged_cells.ranges)
    if merged:
        ranges = ", ".join(str(r) for r in merged[:5])
        rule = f"the sheet '{sheet.title}' has merged cells ({ranges}); unmerge them and try again"
        return None, [_problem(file, rule)]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return None, [_problem(file, "the workbook's first sheet is empty")]
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    return _checked(frame, file)


def read_zip(
    raw: bytes, file: str, schema: PackageSchema | None = None
) -> tuple[dict[str, pd.DataFrame] | None, list[Problem]]:
    """The CSV tables of a zipped data package, keyed by resource name."""
    schema = schema or load_schema()
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        return None, [_problem(file, "this is not a readable zip file")]
    expected = {r.path: r.name for r in schema.resources}
    optional = {r.path for r in schema.resources if r.optional}
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for info in archive.infolist():
        name = PurePosixPath(info.filename).name
        if info.is_dir() or name in PACKAGE_EXTRAS:
            continue
        if name not in expected:
            known = ", ".join(sorted(expected))
            problems.append(
                _problem(f"{file}/{info.filename}", f"unexpected file; a package holds {known}")
            )
            continue
        if info.file_size > MAX_BYTES:
            problems.append(_problem(f"{file}/{name}", f"larger than {MAX_UPLOAD_MB} MB"))
            continue
        raw = archive.read(info)
        if name in optional and not raw.strip():
            continue  # an empty optional table is the same as leaving it out
        text, found = decode(raw, f"{file}/{name}")
        frame, more = (
            parse_text(text, f"{file}/{name}", allow_empty=name in optional)
            if text is not None
            else (None, [])
        )
        problems += found + more
        if frame is not None:
            tables[expected[name]] = frame
    if "positions" not in tables and not problems:
        problems.append(_problem(file, "the zip has no positions.csv"))
    return (None, problems) if problems else (tables, [])


def read_upload(name: str, raw: bytes) -> tuple[dict[str, pd.DataFrame] | None, list[Problem]]:
    """Tables from one uploaded file: a zip package, or a single sheet keyed 'table'."""
    if len(raw) > MAX_BYTES:
        size = len(raw) / 1024 / 1024
        return None, [_problem(name, f"the file is {size:.1f} MB; the limit is {MAX_UPLOAD_MB} MB")]
    if not raw:
        return None, [_problem(name, "the file is empty")]
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".zip":
        return read_zip(raw, name)
    if suffix == ".xlsx":
        frame, problems = read_xlsx(raw, name)
    elif suffix in TEXT_SUFFIXES:
        text, problems = decode(raw, name)
        frame, more = parse_text(text, name) if text is not None else (None, [])
        problems += more
    else:
        return None, [_problem(name, "use a .csv, .tsv, .txt, .xlsx or .zip file")]
    return ({"table": frame}, []) if frame is not None else (None, problems)
