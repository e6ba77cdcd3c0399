"""Read a user's file into tables of strings, whatever the spreadsheet did to it.

Text is tried as UTF-8 first (with or without a byte-order mark). UTF-16 and UTF-32 are told by
their byte-order mark or by the pattern of NUL bytes that ASCII leaves in them. Other text is
read as Windows-1252 (Western European) or Windows-1251 (Cyrillic), whichever gives plausible
text (judged by charset-normalizer and by which reading mixes alphabets inside words); when both
are plausible the user is shown a sample both ways and asked to save the file as UTF-8. A NUL in
otherwise good UTF-8 is data and is kept; binary junk is refused.

Delimited text: `,`, `;` or tab; CR, LF and CRLF line endings, mixed or not. A quote left open
is reported with the rows it swallowed. Each table keeps the spreadsheet's row numbers: the
frame's index is the row number minus FIRST_DATA_ROW, counting blank lines and multi-line cells
as the file has them. XLSX: the first sheet, refused when the workbook has hidden sheets, merged
cells or formulas without a saved result; dates become YYYY-MM-DD. Zip: a data package of CSVs.

Every limit (bytes, rows, columns, cells, characters per row, zip members, bytes unpacked) is
checked while reading, before anything larger is built, and every failure is a Problem naming
the file and, where it can, the row and column; nothing here raises on bad input.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pandas as pd

from core.ingest.validate import FIRST_DATA_ROW
from core.model.problems import Problem
from core.model.schema import PackageSchema, load_schema
from core.model.spreadsheet import restore
from core.settings import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_LINE_CHARS,
    MAX_LINES,
    MAX_ROWS,
    MAX_UPLOAD_MB,
    MAX_XLSX_ELEMENTS,
    MAX_XLSX_MEMBERS,
    MAX_XLSX_UNPACKED_MB,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_UNPACKED_MB,
)

MB = 1_000_000
"""A megabyte as Streamlit's uploader counts it (10^6 bytes), so both limits agree."""
MAX_BYTES = MAX_UPLOAD_MB * MB
"""Largest upload, and largest table inside a zip once unpacked."""
MAX_REPORTED_REPEATS = 20
"""Repeated header names listed one by one; a header repeating more is refused all the same."""
MAX_ZIP_UNPACKED = MAX_ZIP_UNPACKED_MB * MB
MAX_XLSX_UNPACKED = MAX_XLSX_UNPACKED_MB * MB
EXCEL_MAX_ROWS = 1_048_576
UNPACK_CHUNK = 64 * 1024
ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
"""Only these are unpacked: the others can inflate without bound in one read."""
CENTRAL_ENTRY = b"PK\x01\x02"  # each file listed in a zip's directory starts with this

DELIMITERS = [",", ";", "\t"]
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
PACKAGE_EXTRAS = {"datapackage.json", "README.md", "CITATION.txt"}  # read past, not imported

SAMPLE_BYTES = 4096  # the start of a file that tells UTF-16/32 from the rest
CONTROL_SAMPLE = 20_000
CONTROL_LIMIT = 0.01  # share of control characters above which a "text" file is binary junk
NUL_LIMIT = 0.10  # share of NUL characters above which UTF-8 "text" is binary junk
CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
WIDE_NUL_SHARE = 0.2  # UTF-16/32 without a mark: NUL in at least this share of its high bytes
WIDE_NUL_STRAY = 0.01  # ... and in at most this share of the other bytes
BOMS = [  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
]
CODE_PAGES = {"cp1252": "Windows-1252 (Western European)", "cp1251": "Windows-1251 (Cyrillic)"}
CODE_PAGE_SAMPLE = 8192  # bytes around non-ASCII characters judged for a code page
CODE_PAGE_WINDOW = 60
MAX_CHAOS = 0.2  # charset-normalizer's "mess" above which a reading is implausible
ODD_WORDS_LIMIT = 0.25  # share of words mixing alphabets above which a reading is implausible
WORDS = re.compile(r"[^\W\d_]{2,}")
LATIN_ACCENTED = re.compile(r"[\u00c0-\u024f]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ASCII_LETTER = re.compile(r"[A-Za-z]")

SWALLOW_MIN_COLUMNS = 4
"""A cell with line breaks looks like swallowed rows only if the header has this many columns."""
INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")
IDENTIFIER_COLUMNS = {"country", "issue", "stance", "source", "date", "as_of", "id", "iso3"}
"""Columns whose values are matched exactly, where an invisible character breaks the match."""


def _problem(file: str, rule: str, row: int | None = None, column: str | None = None,
             value: str | None = None) -> Problem:  # fmt: skip
    return Problem(file, row, column, value, rule)


def _mb(n: int) -> str:
    return f"{n // MB} MB"


# ---------------------------------------------------------------------------------------------
# Decoding


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """The text of a file, or a problem saying why it is not text (see the module docstring)."""
    for mark, codec, label in BOMS:
        if raw.startswith(mark):
            return _decoded(raw, codec, label, file)
    sample = raw[: SAMPLE_BYTES - SAMPLE_BYTES % 4]
    if b"\x00" in sample:
        wide = _wide_codec(sample)
        if wide:
            return _decoded(raw, wide, wide.upper().replace("-LE", "").replace("-BE", ""), file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _unless_junk(text, file)
    if b"\x00" in raw:
        rule = "this is not a text file (it contains NUL bytes and is not UTF-8, UTF-16 or UTF-32)"
        return None, [_problem(file, rule)]
    return _code_page(raw, file)


def _wide_codec(sample: bytes) -> str | None:
    """UTF-32 or UTF-16 (LE or BE) told by where the NUL bytes are, or None."""
    n = len(sample) // 4
    if n == 0:
        return None
    nul = [sample[i::4].count(0) / n for i in range(4)]
    if nul[2] > 1 - WIDE_NUL_STRAY and nul[3] > 1 - WIDE_NUL_STRAY and nul[0] < 1:
        return "utf-32-le"
    if nul[0] > 1 - WIDE_NUL_STRAY and nul[1] > 1 - WIDE_NUL_STRAY and nul[3] < 1:
        return "utf-32-be"
    odd, even = (nul[1] + nul[3]) / 2, (nul[0] + nul[2]) / 2
    if odd >= WIDE_NUL_SHARE and even <= WIDE_NUL_STRAY:
        return "utf-16-le"
    if even >= WIDE_NUL_SHARE and odd <= WIDE_NUL_STRAY:
        return "utf-16-be"
    return None


def _decoded(raw: bytes, codec: str, label: str, file: str) -> tuple[str | None, list[Problem]]:
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        rule = (f"the file looks like {label} text but byte {exc.start + 1:,} is not {label}; "
                "save it again as UTF-8")  # fmt: skip
        return None, [_problem(file, rule)]
    return _unless_junk(text.removeprefix("\ufeff"), file)


def _unless_junk(text: str, file: str) -> tuple[str | None, list[Problem]]:
    """The text, unless its start is full of control codes (a binary file misnamed)."""
    sample = text[:CONTROL_SAMPLE]
    if sample and len(CONTROLS.findall(sample)) / len(sample) > CONTROL_LIMIT:
        return None, [_problem(file, "this is not a text file (it is full of control codes)")]
    if sample and sample.count("\x00") / len(sample) > NUL_LIMIT:
        return None, [_problem(file, "this is not a text file (it is full of NUL bytes)")]
    return text, []


def _code_page(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Text in the one Windows code page that gives plausible text, or a problem."""
    texts = {}
    for codec in CODE_PAGES:
        try:
            texts[codec] = raw.decode(codec)
        except UnicodeDecodeError:
            continue
    if not texts:
        return None, [
            _problem(file, "this is not a text file (nor UTF-8, nor a Windows code page)")
        ]
    if len(set(texts.values())) == 1:
        return _unless_junk(next(iter(texts.values())), file)
    for codec, text in list(texts.items()):
        if _unless_junk(text, file)[0] is None:
            del texts[codec]
    if not texts:
        return None, [_problem(file, "this is not a text file (it is full of control codes)")]
    sample, where = _code_page_sample(raw)
    tidy = _low_chaos(sample)
    plausible = [c for c in texts if c in tidy and _odd_words(sample, c) <= ODD_WORDS_LIMIT]
    if len(plausible) == 1:
        return texts[plausible[0]], []
    if not plausible:
        pages = " and in ".join(CODE_PAGES.values())
        rule = (f"the text is not UTF-8 and reads as nonsense in {pages}; save it as UTF-8 "
                "(in Excel: CSV UTF-8) and upload it again")  # fmt: skip
        return None, [_problem(file, rule)]
    word = _word_at(raw, where)
    readings = " but as ".join(f'"{word.decode(c)}" in {CODE_PAGES[c]}' for c in plausible)
    row = raw.count(b"\n", 0, where) + 1 if b"\n" in raw else raw.count(b"\r", 0, where) + 1
    rule = (f"the text is not UTF-8, and it reads as {readings}; save the file as UTF-8 "
            "(in Excel: CSV UTF-8) and upload it again")  # fmt: skip
    return None, [_problem(file, rule, row=row, value=word.decode(plausible[0]))]


def _code_page_sample(raw: bytes) -> tuple[bytes, int]:
    """Windows of bytes around the first non-ASCII characters, and where the first one is."""
    pieces, size, first = [], 0, 0
    for n, match in enumerate(re.finditer(rb"[\x80-\xff]+", raw)):
        if n == 0:
            first = match.start()
        start = max(0, match.start() - CODE_PAGE_WINDOW)
        piece = raw[start : match.end() + CODE_PAGE_WINDOW]
        pieces.append(piece)
        size += len(piece)
        if size >= CODE_PAGE_SAMPLE:
            break
    return b"\n".join(pieces), first


def _low_chaos(sample: bytes) -> set[str]:
    """The code pages charset-normalizer finds not too messy for `sample`."""
    from charset_normalizer import from_bytes

    matches = from_bytes(sample, cp_isolation=list(CODE_PAGES), threshold=MAX_CHAOS)
    return {m.encoding for m in matches if m.chaos <= MAX_CHAOS}


def _odd_words(sample: bytes, codec: str) -> float:
    """Share of the words with non-ASCII letters that mix Latin and Cyrillic letters, or are
    made of accented Latin letters only (how Cyrillic read as Windows-1252 looks)."""
    words = [w for w in WORDS.findall(sample.decode(codec, errors="replace")) if not w.isascii()]
    if not words:
        return 0.0
    odd = 0
    for word in words:
        cyrillic = bool(CYRILLIC.search(word))
        latin = bool(ASCII_LETTER.search(word) or LATIN_ACCENTED.search(word))
        all_accented = not cyrillic and not ASCII_LETTER.search(word)
        odd += (cyrillic and latin) or all_accented
    return odd / len(words)


def _word_at(raw: bytes, where: int) -> bytes:
    """The bytes of the word (up to the next delimiter or space) around position `where`."""
    stops = b" ,;\t\r\n\"'"
    start = where
    while start > 0 and where - start < 30 and raw[start - 1] not in stops:
        start -= 1
    end = where
    while end < len(raw) and end - where < 30 and raw[end] not in stops:
        end += 1
    return raw[start:end]


# ---------------------------------------------------------------------------------------------
# Delimited text

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


@dataclass
class _Reading:
    """Where csv.reader is in the text: lines and characters read, and why reading stopped."""

    lines: int = 0
    offset: int = 0  # characters read
    record_chars: int = 0  # characters of the record being read
    record_offset: int = 0  # where it starts
    stopped: str = ""


def _lines(text: str, state: _Reading):
    """The text's lines (any line ending) for csv.reader, stopping at a row too long or a file
    with too many lines, so that no record larger than the limits is ever built."""
    for line in io.StringIO(text, newline=""):
        state.lines += 1
        state.offset += len(line)
        state.record_chars += len(line)
        if state.record_chars > MAX_LINE_CHARS:
            state.stopped = "long"
            return
        if state.lines > MAX_LINES:
            state.stopped = "lines"
            return
        yield line


def parse_text(
    text: str, file: str, allow_empty: bool = False
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """A delimited text as a frame of strings indexed by row number - FIRST_DATA_ROW (header in
    the first non-blank row); with `allow_empty`, a header without rows is an empty table."""
    if not text.strip():
        return None, [_problem(file, "the file is empty")]
    delimiter = sniff_delimiter(text)
    state = _Reading()
    reader = csv.reader(_lines(text, state), delimiter=delimiter, skipinitialspace=True)
    header: list[str] | None = None
    header_row = 1
    body: list[list[str]] = []
    index: list[int] = []
    cells = 0
    first = 1  # the line the record being read starts on
    row = 0  # the record's row as a spreadsheet numbers it: blank lines count, a cell's line
    # breaks do not
    try:
        for record in reader:
            if state.stopped:
                break
            row += 1
            line, first = first, reader.line_num + 1
            start, state.record_chars, state.record_offset = state.record_offset, 0, state.offset
            if not "".join(record).strip():
                continue
            while not record[-1].strip():  # empty cells a spreadsheet leaves at row ends
                record.pop()
            if len(record) > MAX_COLUMNS:
                rule = f"this row has {len(record):,} columns; the limit is {MAX_COLUMNS:,}"
                return None, [_problem(file, rule, row=row)]
            if header is None:
                header, header_row = record, row
                continue
            cells += len(record)
            if len(body) >= MAX_ROWS:
                rule = f"the file has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}"
                return None, [_problem(file, rule, row=row)]
            if cells > MAX_CELLS:
                rule = f"the file has more than {MAX_CELLS:,} cells; the limit is {MAX_CELLS:,}"
                return None, [_problem(file, rule, row=row)]
            width = len(header)
            if len(record) > width and "".join(record[width:]).strip():
                rule = (f"this row has {len(record)} values but the header has {width} columns; "
                        f"check the delimiter ('{delimiter}') and quotes")  # fmt: skip
                return None, [_problem(file, rule, row=row)]
            last = reader.line_num
            if last > line:
                swallowed = _swallowed(record, width, delimiter, text, start, state.offset)
                if swallowed:
                    return None, [_unclosed(file, row, last - line)]
            body.append(record[:width] + [""] * (width - len(record)))
            index.append(row - FIRST_DATA_ROW)
    except csv.Error as exc:
        rule = f"the rows cannot be split into columns ({exc})"
        return None, [_problem(file, rule, row=row + 1)]
    if state.stopped == "long":
        if state.lines > first:
            return None, [_unclosed(file, row + 1, state.lines - first)]
        rule = (f"this row is longer than {MAX_LINE_CHARS:,} characters, the limit; check for a "
                "stray quotation mark or a missing line break")  # fmt: skip
        return None, [_problem(file, rule, row=row + 1)]
    if state.stopped == "lines":
        rule = f"the file has more than {MAX_LINES:,} lines; the limit is {MAX_LINES:,}"
        return None, [_problem(file, rule)]
    if header is None:
        return None, [_problem(file, "the file is empty")]
    frame = pd.DataFrame(body, columns=header, index=pd.Index(index, dtype="int64"), dtype=str)
    return _checked(frame, file, allow_empty, header_row)


def _swallowed(record: list[str], width: int, delimiter: str, text: str, start: int,
               end: int) -> bool:  # fmt: skip
    """Whether a record spanning several lines swallowed rows: a cell with line breaks has a
    line with as many delimiters as a row would, or the record ends the file inside a quote."""
    if width >= SWALLOW_MIN_COLUMNS:
        for cell in record:
            if "\n" in cell or "\r" in cell:
                lines = cell.splitlines()[1:]
                if any(line.count(delimiter) >= width - 1 for line in lines):
                    return True
    if end == len(text):
        raw = text[start:end]
        opens = re.search(rf'(?:^|{re.escape(delimiter)})[ ]*"', raw)
        return bool(opens) and raw.count('"') % 2 == 1
    return False


def _unclosed(file: str, row: int, lines: int) -> Problem:
    rule = (f"a quote opened in row {row} is not closed; it swallowed the next {lines:,} lines "
            "of the file; close the quote or delete the stray quotation mark")  # fmt: skip
    return _problem(file, rule, row=row)


# ---------------------------------------------------------------------------------------------
# Checks shared by text and workbooks


def _visible(value: str) -> str:
    """The value with each invisible character written out, e.g. KAZ<U+200B>."""
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)


INVISIBLE_RULE = "has an invisible character (shown as <U+...>); delete it"


def _repeat_rule(names: list[str]) -> str:
    shown = " and ".join(repr(n) for n in names[:5])
    case = "" if len(set(names)) == 1 else "; letter case does not make columns different"
    return f"the header names this column twice ({shown}){case}; keep one"


def _checked(
    frame: pd.DataFrame, file: str, allow_empty: bool = False, header_row: int = 1
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Header and identifier checks; the frame keeps its index (the spreadsheet's rows)."""
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.fillna("").astype(str).map(restore)  # undo the formula guard of our own exports
    if frame.empty and not allow_empty:
        return None, [_problem(file, "the file has a header but no data rows", row=header_row)]
    if len(frame) > MAX_ROWS:
        rule = f"the file has {len(frame):,} rows; the limit is {MAX_ROWS:,}"
        return None, [_problem(file, rule)]
    problems = [
        _problem(file, f"the column name {INVISIBLE_RULE}", header_row, _visible(c), _visible(c))
        for c in frame.columns
        if INVISIBLE.search(c)
    ]
    if problems:
        return None, problems
    by_key: dict[str, list[str]] = {}  # linear, not n²
    for column in frame.columns:
        by_key.setdefault(column.casefold(), []).append(column)
    repeated = [names for names in by_key.values() if len(names) > 1]
    if repeated:
        return None, [
            _problem(file, _repeat_rule(names), header_row, names[1], names[1])
            for names in repeated[:MAX_REPORTED_REPEATS]
        ]  # fmt: skip
    unnamed = [c for c in frame.columns if not c or c.startswith("Unnamed:")]
    if unnamed:
        return None, [_problem(file, "a column has no name in the header row", row=header_row)]
    for column in frame.columns:
        if column.casefold() in IDENTIFIER_COLUMNS:
            values = frame[column]
            for idx in values.index[values.str.contains(INVISIBLE.pattern, regex=True)]:
                value = _visible(values.at[idx])
                row = int(idx) + FIRST_DATA_ROW
                problems.append(_problem(file, f"this value {INVISIBLE_RULE}", row, column, value))
    if problems:
        return None, problems
    return frame, []


# ---------------------------------------------------------------------------------------------
# Zip archives (packages and workbooks)


def _open_zip(
    raw: bytes, file: str, max_members: int, what: str
) -> tuple[zipfile.ZipFile | None, list[Problem]]:
    """The archive, once its directory is known to list at most `max_members` files and no name
    twice (counted in the raw bytes first, so that no huge directory is ever parsed)."""
    if raw.count(CENTRAL_ENTRY) > max_members:
        rule = f"the {what} holds more than {max_members} files; the limit is {max_members}"
        return None, [_problem(file, rule)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except Exception as exc:  # zipfile raises many types for a damaged archive
        return None, [_problem(file, f"this is not a readable {what} ({type(exc).__name__})")]
    names = Counter(PurePosixPath(i.filename).name for i in infos if not i.is_dir())
    twice = sorted(n for n, k in names.items() if k > 1)
    if twice:
        where = ", ".join(i.filename for i in infos if PurePosixPath(i.filename).name == twice[0])
        rule = (f"the {what} holds {twice[0]} more than once ({where}); keep only the one "
                "that should be read")  # fmt: skip
        return None, [_problem(file, rule)]
    return archive, []


@dataclass
class _Unpacked:
    """A member's bytes (when kept), its size unpacked, and what a worksheet's XML holds."""

    data: bytes = b""
    size: int = 0
    elements: int = 0  # XML start tags, counted when asked
    formulas: bool = False
    merged: list[str] = field(default_factory=list)
    problem: str = ""


FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
MERGE_TAG = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]{0,200}?ref="([A-Za-z0-9:$]{1,40})"')
TAG_OVERLAP = 256


def _stream_goes_on(member, info: zipfile.ZipInfo) -> bool:
    """Whether a deflated member's stream goes on past the size its headers give: zipfile stops
    reading there and checks only that part, so a forged member would pass for a short one."""
    decompressor = getattr(member, "_decompressor", None)  # zipfile's own; absent: cannot tell
    return info.compress_type == zipfile.ZIP_DEFLATED and not getattr(decompressor, "eof", True)


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, keep: bool = True,
            scan: bool = False, max_elements: int | None = None) -> _Unpacked:  # fmt: skip
    """Unpack one member in chunks, counting the bytes that really come out (the sizes in the
    zip's headers may lie) and stopping past `limit`; every failure becomes `problem`."""
    out = _Unpacked()
    if info.flag_bits & 0x1:
        out.problem = "is protected by a password; zip it again without one"
        return out
    if info.compress_type not in ZIP_METHODS:
        out.problem = (f"is packed with an unusual method ({info.compress_type}); zip it again "
                       "with the standard (deflate) compression")  # fmt: skip
        return out
    chunks, tail = [], b""
    try:
        with archive.open(info) as member:
            while chunk := member.read(UNPACK_CHUNK):
                out.size += len(chunk)
                if out.size > limit:
                    out.problem = f"unpacks to more than {_mb(limit)}"
                    return out
                if keep:
                    chunks.append(chunk)
                if max_elements is not None:
                    out.elements += chunk.count(b"<") - chunk.count(b"</")
                    if out.elements > max_elements:
                        out.problem = "holds too many XML elements"
                        return out
                if scan:
                    window = tail + chunk
                    maybe = b"<f" in window or b":f" in window  # fast: no regex per tag
                    out.formulas = out.formulas or (maybe and bool(FORMULA_TAG.search(window)))
                    if len(out.merged) < 5 and b"mergeCell " in window:
                        found = (m.decode() for m in MERGE_TAG.findall(window))
                        out.merged += [m for m in found if m not in out.merged][:5]
                    tail = window[-TAG_OVERLAP:]
            if _stream_goes_on(member, info):
                out.problem = ("holds more than its headers say (the zip is damaged or forged); "
                               "zip the files again")  # fmt: skip
                return out
    except Exception as exc:  # CRC errors, damaged data, unsupported features
        out.problem = (f"is damaged ({str(exc)[:80] or type(exc).__name__}) and cannot be unpacked"
                       "; zip the files again")  # fmt: skip
        return out
    out.data = b"".join(chunks)
    return out


def read_zip(
    raw: bytes, file: str, schema: PackageSchema | None = None
) -> tuple[dict[str, pd.DataFrame] | None, list[Problem]]:
    """The CSV tables of a zipped data package, keyed by resource name."""
    schema = schema or load_schema()
    archive, problems = _open_zip(raw, file, MAX_ZIP_MEMBERS, "zip file")
    if archive is None:
        return None, problems
    expected = {r.path: r.name for r in schema.resources}
    optional = {r.path for r in schema.resources if r.optional}
    tables: dict[str, pd.DataFrame] = {}
    budget = MAX_ZIP_UNPACKED
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
        member = f"{file}/{name}"
        unpacked = _unpack(archive, info, min(MAX_BYTES, budget))
        if unpacked.problem:
            if unpacked.size > budget:
                rule = f"the tables unpack to more than {_mb(MAX_ZIP_UNPACKED)}, the limit"
                problems.append(_problem(file, rule))
                break
            rule = unpacked.problem
            if unpacked.size > MAX_BYTES:
                rule += f"; the limit is {_mb(MAX_BYTES)}"
            problems.append(_problem(member, rule))
            continue
        budget -= unpacked.size
        content = unpacked.data
        if name in optional and not content.strip():
            continue  # an empty optional table is the same as leaving it out
        text, found = decode(content, member)
        frame, more = (
            parse_text(text, member, allow_empty=name in optional)
            if text is not None
            else (None, [])
        )
        problems += found + more
        if frame is not None:
            tables[expected[name]] = frame
    if "positions" not in tables and not problems:
        problems.append(_problem(file, "the zip has no positions.csv"))
    return (None, problems) if problems else (tables, [])


# ---------------------------------------------------------------------------------------------
# Workbooks


def _cell_text(value: object) -> str:
    """A cell as the text a user typed: dates YYYY-MM-DD (a time keeps HH:MM, for validation to
    refuse plainly), 2.0 as 2, TRUE/FALSE."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        day = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        return day if value.time() == dt.time() else f"{day} {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _formula_text(value: object) -> str | None:
    """The formula a cell holds (as read with data_only=False), or None."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    if isinstance(value, str):
        return value if value.startswith("=") else None
    if isinstance(value, ArrayFormula):
        return value.text if str(value.text).startswith("=") else f"={value.text}"
    if isinstance(value, DataTableFormula):
        return f"=TABLE({value.ref})"
    return None


def _workbook_parts(
    archive: zipfile.ZipFile, file: str
) -> tuple[dict[str, _Unpacked] | None, list[Problem]]:
    """Every part of a workbook unpacked once, in chunks and counted, so that a part that
    inflates beyond MAX_XLSX_UNPACKED is refused before openpyxl ever reads it."""
    budget, elements = MAX_XLSX_UNPACKED, MAX_XLSX_ELEMENTS
    sheets = {}
    for info in archive.infolist():
        if info.is_dir():
            continue
        is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        unpacked = _unpack(archive, info, budget, False, is_sheet, max_elements=elements)
        if unpacked.problem:
            if unpacked.elements > elements:
                rule = (f"the workbook holds more than {MAX_XLSX_ELEMENTS:,} XML elements (cells, "
                        f"rows, texts), the limit, reached in its part {info.filename}; save the "
                        "table as CSV or split it")  # fmt: skip
            elif unpacked.size > budget:
                rule = (f"the workbook unpacks to more than {_mb(MAX_XLSX_UNPACKED)} (the limit), "
                        f"reached in its part {info.filename}")  # fmt: skip
            else:
                rule = f"the workbook's part {info.filename} {unpacked.problem}"
            return None, [_problem(file, rule)]
        budget -= unpacked.size
        elements -= unpacked.elements
        if is_sheet:
            sheets[info.filename] = unpacked
    return sheets, []


def read_xlsx(raw: bytes, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The first sheet of a workbook as a frame of strings indexed by row number -
    FIRST_DATA_ROW; hidden sheets, merged cells and formulas without a result are refused."""
    from openpyxl import load_workbook

    archive, problems = _open_zip(raw, file, MAX_XLSX_MEMBERS, "Excel workbook")
    if archive is None:
        return None, problems
    sheets, problems = _workbook_parts(archive, file)
    if sheets is None:
        return None, problems
    books = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it does not read
            books.append(load_workbook(io.BytesIO(raw), read_only=True, data_only=True))
            sheet = _first_sheet(books[0], file)
            if isinstance(sheet, Problem):
                return None, [sheet]
            path = getattr(sheet, "_worksheet_path", "").lstrip("/")
            scan = sheets.get(path) or _Unpacked(formulas=True)  # unknown part: look for formulas
            if scan.merged:
                ranges = ", ".join(scan.merged)
                rule = (f"the sheet '{sheet.title}' has merged cells ({ranges}); unmerge them and "
                        "try again")  # fmt: skip
                return None, [_problem(file, rule)]
            formulas = None
            if scan.formulas:
                books.append(load_workbook(io.BytesIO(raw), read_only=True, data_only=False))
                formulas = books[1].worksheets[0]
            return _sheet_frame(sheet, formulas, file)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        rule = f"this is not a readable Excel workbook ({type(exc).__name__})"
        return None, [_problem(file, rule)]
    finally:
        for book in books:
            book.close()


def _first_sheet(book, file: str):
    """The sheet to import, or a problem when the workbook hides sheets or has none."""
    hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
    if hidden:
        names = ", ".join(f"'{t}'" for t in hidden)
        which = "a hidden sheet" if len(hidden) == 1 else "hidden sheets"
        rule = (f"the workbook has {which} {names}; delete or unhide it so that it is clear "
                "which sheet to import")  # fmt: skip
        return _problem(file, rule)
    if not book.worksheets:
        return _problem(file, "the workbook has no sheet with a table")
    return book.worksheets[0]


def _sheet_frame(sheet, formulas, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a sheet row by row within the limits, keeping the sheet's row numbers."""
    from openpyxl.utils import get_column_letter

    sheet.reset_dimensions()  # a sheet may claim any size; read only the rows it has
    formula_rows = iter(())
    if formulas is not None:
        formulas.reset_dimensions()
        formula_rows = formulas.iter_rows(values_only=True)
    header: list[str] | None = None
    header_row = 1
    body: list[list[str]] = []
    index: list[int] = []
    cells = 0
    problems: list[Problem] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        raw_formulas = next(formula_rows, ())
        if number > EXCEL_MAX_ROWS:
            rule = f"the sheet has rows past row {EXCEL_MAX_ROWS:,}, which Excel cannot hold"
            return None, [_problem(file, rule)]
        if len(values) > MAX_COLUMNS:
            last = get_column_letter(len(values))
            rule = (f"this row has cells up to column {last}; the limit is {MAX_COLUMNS:,} "
                    "columns; delete the columns right of the table")  # fmt: skip
            return None, [_problem(file, rule, row=number)]
        cells += len(values)
        if cells > MAX_CELLS:
            rule = f"the sheet has more than {MAX_CELLS:,} cells; the limit is {MAX_CELLS:,}"
            return None, [_problem(file, rule, row=number)]
        texts = [_cell_text(v) for v in values]
        for j, formula in enumerate(raw_formulas):
            text = _formula_text(formula)
            if text is not None and (j >= len(values) or values[j] is None):
                column = header[j] if header and j < len(header) else get_column_letter(j + 1)
                rule = ("this cell has a formula but no saved result; open the file in Excel, "
                        "let it calculate and save it, or paste the values")  # fmt: skip
                problems.append(_problem(file, rule, number, column, text))
        while texts and not texts[-1].strip():
            texts.pop()
        if not texts:
            continue
        if header is None:
            header, header_row = texts, number
            continue
        if len(texts) > len(header):
            column = get_column_letter(len(header) + 1)
            rule = (f"this row has a value in column {column}, right of the header's last "
                    f"column; name the column in row {header_row} or delete the value")  # fmt: skip
            return None, [_problem(file, rule, number, column, texts[len(header)])]
        if len(body) >= MAX_ROWS:
            rule = f"the sheet has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}"
            return None, [_problem(file, rule, row=number)]
        body.append(texts + [""] * (len(header) - len(texts)))
        index.append(number - FIRST_DATA_ROW)
    if problems:
        return None, problems
    if header is None:
        return None, [_problem(file, "the workbook's first sheet is empty")]
    frame = pd.DataFrame(body, columns=header, index=pd.Index(index, dtype="int64"), dtype=str)
    return _checked(frame, file, header_row=header_row)


# ---------------------------------------------------------------------------------------------


def read_upload(name: str, raw: bytes) -> tuple[dict[str, pd.DataFrame] | None, list[Problem]]:
    """Tables from one uploaded file: a zip package, or a single sheet keyed 'table'. Never
    raises: a failure the checks above did not foresee is still a problem (and a bug)."""
    try:
        return _read_upload(name, raw)
    except MemoryError:
        raise  # the import worker (core.ingest.sandbox) reports it as the memory limit it is
    except Exception as exc:  # the promise to the caller; the tests require this never happens
        rule = f"{UNEXPECTED} ({type(exc).__name__}); please report it with the file"
        return None, [_problem(name, rule)]


UNEXPECTED = "the file could not be read because of an unexpected error"


def _read_upload(name: str, raw: bytes) -> tuple[dict[str, pd.DataFrame] | None, list[Problem]]:
    if len(raw) > MAX_BYTES:
        size = len(raw) / MB
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
