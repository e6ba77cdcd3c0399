"""Importing a user's file: every bad file gives a clear problem, never an exception."""

from __future__ import annotations

import csv
import datetime as dt
import io
import resource
import warnings
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.ingest import read as importing
from core.ingest.conform import base_tables
from core.ingest.importing import import_file
from core.ingest.read import UNEXPECTED, decode, read_upload, sniff_delimiter
from core.ingest.validate import FIRST_DATA_ROW
from core.model.countries import iso3
from tests.unit.corpus import (
    BAD_FILES,
    MB,
    POSITIONS,
    WIDE,
    member,
    package_members,
    positions_with,
    raw_zip,
    xlsx,
    xlsx_bomb,
    zip_bomb_member,
    zipped,
)


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_gives_a_clear_problem(dataset, case):
    name, raw, words = BAD_FILES[case]
    result = import_file(name, raw, dataset)
    assert result.dataset is None
    assert result.problems, case
    assert any(words in p.rule for p in result.problems), [str(p) for p in result.problems]
    assert all(p.file.startswith(name.split("/")[0]) for p in result.problems)


def test_the_base_data_is_untouched_by_a_rejected_file(dataset):
    before, rows = dataset.fingerprint, len(dataset.positions)
    import_file(*BAD_FILES["bad date"][:2], dataset)
    assert dataset.fingerprint == before and len(dataset.positions) == rows


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1251", "\t"), ("utf-8", ";")],
)
def test_long_file_in_any_encoding_and_delimiter(dataset, encoding, delimiter):
    rows = [r for r in csv.reader(io.StringIO(POSITIONS)) if _encodes(r, encoding)]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    body = out.getvalue()
    result = import_file("positions.csv", body.encode(encoding), dataset)
    assert result.problems == [] and result.dataset is not None
    assert len(result.dataset.positions) == len(rows) - 1


def _encodes(row: list[str], encoding: str) -> bool:
    try:
        ",".join(row).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_cyrillic_text_in_windows_1251_is_read():
    text, problems = decode("country,summary\nKAZ,Казахстан\n".encode("cp1251"), "f.csv")
    assert problems == [] and "Казахстан" in text


@pytest.mark.parametrize(("line", "delimiter"), [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t")])
def test_sniff_delimiter(line, delimiter):
    assert sniff_delimiter(f"{line}\n1{delimiter}2{delimiter}3\n") == delimiter


@pytest.mark.parametrize(
    ("name", "code"),
    [("Kyrgyz Republic", "KGZ"), ("Türkiye", "TUR"), ("Russian Federation", "RUS"),
     ("BOLIVIA (PLURINATIONAL STATE OF)", "BOL"), ("kazakhstan", "KAZ"), ("uzb", "UZB"),
     ("Iran (Islamic Republic of)", "IRN"), ("TÜRKÝYE", "TUR"), ("Narnia", None)],
)  # fmt: skip
def test_country_names_and_codes(name, code):
    assert iso3(name) == code


def test_wide_matrix_with_names_labels_and_a_date(dataset):
    result = import_file("wide.csv", WIDE.encode(), dataset, as_of=dt.date(2022, 3, 2))
    assert result.problems == []
    ds = result.dataset
    pos = ds.positions.set_index(["country", "issue"])
    assert pos.loc[("KGZ", "unga_es11_1"), "stance"] == "abstain"
    assert pos.loc[("TUR", "dpr_lpr_recognition"), "stance"] == "refuses"
    assert result.added.countries == ["TUR"]
    assert ds.countries.set_index("iso3").at["TUR", "name"] == "Türkiye"


def test_numeric_matrix_needs_no_labels_and_unknown_issues_can_be_added(dataset):
    raw = b"country,as_of,Troops for Russia,Grain deal\nKAZ,2022-03-01,2,1\nRUS,2022-03-01,,-2\n"
    refused = import_file("m.csv", raw, dataset)
    assert any(p.column == "Grain deal" and "not an issue" in p.rule for p in refused.problems)
    result = import_file("m.csv", raw, dataset, add_unknown=True)
    assert result.problems == []
    assert result.added.issues == ["grain_deal"]
    pos = result.dataset.positions.set_index(["country", "issue"])
    assert pos.loc[("KAZ", "troop_request"), "stance"] == "refused"  # the only +2 stance
    assert pos.loc[("RUS", "grain_deal"), "stance"] == "score_m2"


def test_xlsx_matrix(dataset):
    raw = xlsx([["Country", "troop_request", "as_of"], ["Kazakhstan", "refused", "2022-03-01"]])
    result = import_file("sheet.xlsx", raw, dataset)
    assert result.problems == []
    assert len(result.dataset.positions) == 1


def test_zipped_package_round_trips(dataset):
    result = import_file("pkg.zip", zipped(package_members()), dataset)
    assert result.problems == []
    assert result.dataset.fingerprint == dataset.fingerprint


@settings(max_examples=60, deadline=None)
@given(raw=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx", "a.zip", "a.txt"]))
def test_any_bytes_give_data_or_problems_never_an_exception(dataset, raw, name):
    result = import_file(name, raw, dataset)
    assert (result.dataset is None) == bool(result.problems)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=600))
def test_any_text_gives_data_or_problems(dataset, text):
    tables, problems = read_upload("t.csv", text.encode("utf-8"))
    assert (tables is None) == bool(problems)
    result = import_file("t.csv", text.encode("utf-8"), dataset, as_of=dt.date(2022, 3, 1))
    assert (result.dataset is None) == bool(result.problems)


def test_merge_adds_observations_to_the_current_data(dataset):
    raw = b"country,as_of,troop_request\nKyrgyz Republic,2022-04-01,refused\n"
    result = import_file("later.csv", raw, dataset, merge=True)
    assert result.problems == []
    assert len(result.dataset.positions) == len(dataset.positions) + 1
    again = import_file("again.csv", b"country,as_of,unga_es11_1\nKAZ,2022-03-02,abstain\n",
                        dataset, merge=True)  # fmt: skip
    assert any("may appear only once" in p.rule for p in again.problems)
    assert all(p.file == "again.csv" for p in again.problems)


def _further(ds, country, issue, date):
    f = ds.observation_sources
    return f[(f["country"] == country) & (f["issue"] == issue) & (f["date"] == date)]


def test_a_changed_observation_does_not_keep_the_old_further_sources(dataset):
    key = ("UZB", "dpr_lpr_recognition", "2022-03-17")
    assert len(_further(dataset, *key)) >= 2
    row = "UZB,dpr_lpr_recognition,2022-03-17,day,silent,low,Changed.,S1,S1 row 1\n"
    header = POSITIONS.splitlines()[0] + "\n"
    replaced = import_file("mine.csv", (header + row).encode(), dataset)
    assert replaced.problems == [] and _further(replaced.dataset, *key).empty
    merged = import_file("mine.csv", (header + row).encode(), dataset, merge=True)
    assert merged.problems  # the same observation twice is reported, nothing is applied
    unchanged = POSITIONS.encode()
    kept = import_file("positions.csv", unchanged, dataset)
    assert len(_further(kept.dataset, *key)) == len(_further(dataset, *key))


def test_a_zip_without_further_sources_keeps_those_of_unchanged_observations(dataset):
    members = {k: v for k, v in package_members().items() if k != "observation_sources.csv"}
    result = import_file("pkg.zip", zipped(members), dataset)
    assert result.problems == []
    assert len(result.dataset.observation_sources) == len(dataset.observation_sources)


def test_an_empty_further_sources_file_counts_as_none(dataset, tmp_path):
    from core.ingest.package import load_package

    members = {**package_members(), "observation_sources.csv": b""}
    result = import_file("pkg.zip", zipped(members), dataset)
    assert result.problems == [] and result.dataset is not None
    for name, content in members.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "datapackage.json").write_text("{}")
    folder = load_package(tmp_path)
    assert folder.ok and folder.dataset.observation_sources.empty


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ('country,summary\nKAZ,"a; b; c"\nUZB,"d; e"\n', ","),  # semicolons inside quotes
        ('country;summary\nKAZ;"a, b, c"\nUZB;"d, e"\n', ";"),
        ("country\tissue\tdate\nKAZ\tx\t2022-03-01\n", "\t"),
        ("country\nKAZ\n", ","),  # nothing to go on: the comma
    ],
)
def test_sniff_delimiter_ignores_quoted_text(text, delimiter):
    assert sniff_delimiter(text) == delimiter


def test_a_huge_quoted_line_is_sniffed_from_a_bounded_sample():
    # csv.Sniffer's regular expressions took minutes on such a line, holding the server's GIL
    line = '"' + "a,b;c\t" * 60_000 + '"'
    assert sniff_delimiter("country,summary\n" + line + "\n") == ","
    assert sniff_delimiter(line) in {",", ";", "\t"}


def test_a_thousand_columns_are_checked_for_repeats_in_one_pass():
    header = ",".join(f"c{i}" for i in range(999)) + ",c5\n"
    frame, problems = read_upload("wide.csv", (header + ",".join("1" * 1000) + "\n").encode())
    assert frame is None and "names this column twice ('c5' and 'c5'); keep one" in problems[0].rule


# --- limits, checked while reading ------------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_ten_million_one_character_rows_are_refused_in_little_memory():
    raw = b"a\n" + b"1\n" * 9_999_000  # 20 MB, just under the upload limit
    before = _peak_mb()
    tables, problems = read_upload("rows.csv", raw)
    grew = _peak_mb() - before
    assert tables is None and "more than 100,000 rows" in problems[0].rule
    assert problems[0].row == 100_002
    assert grew < 400, grew  # reading them all took 1.5 GB (and 10 s: see bench/hostile.py)


@pytest.mark.parametrize(
    ("limit", "value", "raw", "words"),
    [
        ("MAX_CELLS", 10, b"a,b,c\n" + b"1,2,3\n" * 4, "more than 10 cells"),
        ("MAX_COLUMNS", 3, b"a,b,c,d\n1,2,3,4\n", "4 columns; the limit is 3"),
        ("MAX_LINES", 5, b"a\n" + b"\n" * 10 + b"1\n", "more than 5 lines"),
        ("MAX_LINE_CHARS", 20, b"a,b\n1," + b"x" * 30 + b"\n", "longer than 20 characters"),
        ("MAX_ROWS", 2, b"a\n1\n2\n3\n", "more than 2 rows"),
    ],
)
def test_each_limit_stops_reading(monkeypatch, limit, value, raw, words):
    monkeypatch.setattr(importing, limit, value)
    tables, problems = read_upload("t.csv", raw)
    assert tables is None and words in problems[0].rule


def test_a_long_quoted_field_is_refused_before_it_is_built():
    raw = b'country,summary\nKAZ,"' + b"a,b;c\t" * 50_000 + b'"\n'  # 300 KB in one cell
    tables, problems = read_upload("long.csv", raw)
    assert tables is None and problems[0].row == 2 and "100,000 characters" in problems[0].rule


def test_ten_thousand_columns_are_refused_at_the_header():
    raw = (",".join(f"c{i}" for i in range(10_000)) + "\n").encode() * 2
    tables, problems = read_upload("wide.csv", raw)
    assert tables is None and problems[0].row == 1 and "10,000 columns" in problems[0].rule


# --- line endings and row numbers -----------------------------------------------------------


@pytest.mark.parametrize("ending", ["\r", "\n", "\r\n"])
def test_any_line_ending_is_read(ending):
    tables, problems = read_upload("t.csv", ending.join(["a,b", "1,2", "3,4", ""]).encode())
    assert problems == [] and tables["table"].values.tolist() == [["1", "2"], ["3", "4"]]


def test_mixed_line_endings_and_a_carriage_return_inside_quotes():
    tables, problems = read_upload("t.csv", b'a,b\r1,2\r\n3,"x\ry"\n5,6')
    assert problems == []
    assert tables["table"].values.tolist() == [["1", "2"], ["3", "x\ry"], ["5", "6"]]


def test_the_index_is_the_spreadsheet_row_minus_two():
    raw = b'a,b\n\n1,2\n3,"two\nlines"\n\n5,6\n'
    frame = read_upload("t.csv", raw)[0]["table"]
    assert [i + FIRST_DATA_ROW for i in frame.index] == [3, 4, 6]  # a cell's line break: one row


def test_validation_names_the_row_a_spreadsheet_shows(dataset):
    lines = POSITIONS.splitlines()
    bad = lines[1].replace("2022-09-26", "2022-02-30")
    text = "\n".join([lines[0], "", lines[2], "", bad, *lines[3:]]) + "\n"
    result = import_file("positions.csv", text.encode(), dataset)
    assert [p.row for p in result.problems if "real date" in p.rule] == [5]


def test_xlsx_keeps_the_sheet_row_numbers():
    raw = xlsx([["country", "x"], [None, None], ["KAZ", "1"], [None], ["UZB", "2"]])
    frame = read_upload("s.xlsx", raw)[0]["table"]
    assert [i + FIRST_DATA_ROW for i in frame.index] == [3, 5]


# --- quotes -----------------------------------------------------------------------------------


def test_a_quote_left_open_names_the_rows_it_swallowed():
    raw = b'a,b,c,d\n1,"open,3,4\n5,6,7,8\n9,10,11,12\n13,14",15,16\n17,18,19,20\n'
    tables, problems = read_upload("q.csv", raw)
    assert tables is None and problems[0].row == 2
    assert (
        "a quote opened in row 2 is not closed; it swallowed the next 3 lines" in problems[0].rule
    )


def test_a_quote_open_at_the_end_of_the_file_is_reported():
    tables, problems = read_upload("q.csv", b'a,b\n1,2\n3,"open\n5,6\n')
    assert tables is None and "quote opened in row 3 is not closed" in problems[0].rule


def test_a_quote_swallowing_more_than_the_row_limit_is_reported_as_such():
    raw = b'a,b\n1,"open\n' + b"2,3\n" * 30_000
    tables, problems = read_upload("q.csv", raw)
    assert tables is None and "quote opened in row 2 is not closed" in problems[0].rule


def test_multi_line_cells_are_kept():
    raw = b'a,b,c,d\n1,"first line\nsecond, with a comma",3,4\n'
    tables, problems = read_upload("q.csv", raw)
    assert problems == [] and tables["table"].at[0, "b"] == "first line\nsecond, with a comma"


# --- headers and invisible characters -----------------------------------------------------------


@pytest.mark.parametrize("header", ["Country,country ", "country, Country", "ISSUE,x,issue"])
def test_a_column_named_twice_in_other_case_or_spacing(dataset, header):
    raw = (header + "\n" + ",".join(["KAZ"] * len(header.split(","))) + "\n").encode()
    tables, problems = read_upload("t.csv", raw)
    assert tables is None and "column twice" in problems[0].rule and problems[0].row == 1
    assert import_file("t.csv", raw, dataset).problems[0].rule == problems[0].rule  # no crash


@pytest.mark.parametrize("char", ["\u200b", "\u200e", "\u2060", "\ufeff", "\u00ad", "\u202e"])
def test_an_invisible_character_in_a_code_is_shown(char):
    raw = f"country,issue,summary\nUZB,x,ok\nKAZ{char},x,fine{char}\n".encode()
    tables, problems = read_upload("t.csv", raw)
    assert tables is None and len(problems) == 1
    p = problems[0]
    assert (p.row, p.column) == (3, "country") and p.value == f"KAZ<U+{ord(char):04X}>"
    assert "invisible character" in p.rule and "delete it" in p.rule


def test_an_invisible_character_in_a_column_name_is_shown():
    tables, problems = read_upload("t.csv", "country,\u200bissue\nKAZ,x\n".encode())
    assert tables is None and problems[0].value == "<U+200B>issue"


def test_invisible_characters_elsewhere_are_data():
    tables, problems = read_upload("t.csv", "country,summary\nKAZ,a\u200bb\n".encode())
    assert problems == [] and tables["table"].at[0, "summary"] == "a\u200bb"


# --- decoding ---------------------------------------------------------------------------------

TEXT = "country,summary\nKAZ,Казахстан\nTUR,Türkiye\n"


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
def test_utf16_and_utf32_with_or_without_a_mark(encoding):
    text, problems = decode(TEXT.encode(encoding), "t.csv")
    assert problems == [] and text == TEXT


def test_a_nul_in_utf8_text_is_data_and_survives_the_store(dataset, tmp_path):
    from core.serving.store import DatasetStore

    raw = positions_with(1, "summary", "before\x00after")
    result = import_file("positions.csv", raw, dataset)
    assert result.problems == []
    assert "before\x00after" in set(result.dataset.positions["summary"])
    store = DatasetStore(tmp_path / "s.sqlite")
    tables, _ = store.get(store.put(base_tables(result.dataset)))
    assert "before\x00after" in set(tables["positions"]["summary"])


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("country,summary\nFRA,Café crème\n", "cp1252"),
        ("country,summary\nDEU,Größe, Müller\n", "cp1252"),
        ("country,summary\nKAZ,Казахстан\n", "cp1251"),
        ("country,summary\nKAZ,Казахстан воздержался\n", "cp1251"),
        ("country,summary\nKAZ,a — “b”\n", "cp1251"),  # the same in both
    ],
)
def test_the_windows_code_page_that_reads_plausibly_is_chosen(text, encoding):
    decoded, problems = decode(text.encode(encoding), "t.csv")
    assert problems == [] and decoded == text


def test_when_both_code_pages_read_plausibly_the_user_is_asked():
    decoded, problems = decode("country,note\nKAZ,à\nUZB,ok\n".encode("cp1252"), "t.csv")
    assert decoded is None and problems[0].row == 2
    assert '"à" in Windows-1252' in problems[0].rule and '"а" in Windows-1251' in problems[0].rule
    assert "save the file as UTF-8" in problems[0].rule


# --- zips -------------------------------------------------------------------------------------


def test_zip_sizes_are_counted_as_unpacked_not_as_claimed():
    unit = POSITIONS.encode()
    lying = raw_zip([member("positions.csv", unit * 30, claimed=len(unit))])
    tables, problems = read_upload("pkg.zip", lying)
    assert tables is None and problems[0].file == "pkg.zip/positions.csv"


@pytest.mark.parametrize(
    ("members", "words"),
    [
        ([zip_bomb_member("positions.csv", 21 * MB)], "unpacks to more than 20 MB"),
        ([member("positions.csv", b"a", method=9)], "unusual method"),
        ([member("positions.csv", b"a", flags=1)], "password"),
        ([member("positions.csv", b"a,b\n1,2\n", crc=7)], "damaged (Bad CRC-32"),
        ([member(f"{n}.csv", b"a") for n in range(51)], "more than 50 files"),
        ([member("positions.csv", b"a"), member("x/positions.csv", b"b")], "more than once"),
        ([member("positions.csv", b"a"), member("positions.csv", b"b")], "more than once"),
    ],
)
def test_hostile_zip_members_are_problems(members, words):
    tables, problems = read_upload("pkg.zip", raw_zip(members))
    assert tables is None and words in problems[0].rule, problems


def test_a_zip_stops_unpacking_at_the_total_limit(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ZIP_UNPACKED", 3 * MB)
    names = ["positions.csv", "countries.csv", "issues.csv"]
    tables, problems = read_upload("p.zip", raw_zip([zip_bomb_member(n, 2 * MB) for n in names]))
    assert tables is None and any("more than 3 MB, the limit" in p.rule for p in problems)


# --- workbooks --------------------------------------------------------------------------------


def test_a_sheet_inflating_to_a_gigabyte_never_reaches_openpyxl(monkeypatch):
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to load the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    tables, problems = read_upload("bomb.xlsx", xlsx_bomb(1024 * MB))
    assert tables is None and "more than 50 MB" in problems[0].rule


def test_a_sheet_of_millions_of_tiny_elements_never_reaches_openpyxl(monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", None)  # calling it would raise
    tables, problems = read_upload("junk.xlsx", xlsx_bomb(16 * MB, row=b"<x/>"))
    assert tables is None and "more than 3,000,000 XML elements" in problems[0].rule


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_refused(state):
    raw = xlsx([["country"], ["KAZ"]], hidden="old", state=state)
    tables, problems = read_upload("s.xlsx", raw)
    assert tables is None and "the workbook has a hidden sheet 'old'" in problems[0].rule


def test_spreadsheet_cells_read_as_typed():
    rows = [
        ["date", "when", "n", "x", "flag"],
        [dt.date(2022, 3, 1), dt.datetime(2022, 3, 1, 14, 30), 2.0, 2.5, True],
    ]
    frame = read_upload("s.xlsx", xlsx(rows))[0]["table"]
    assert frame.iloc[0].tolist() == ["2022-03-01", "2022-03-01 14:30", "2", "2.5", "TRUE"]


def test_a_formula_without_a_saved_result_is_named():
    raw = xlsx([["country", "n"], ["KAZ", "=1+1"], ["UZB", "3"]])
    tables, problems = read_upload("s.xlsx", raw)
    assert tables is None
    assert (problems[0].row, problems[0].column, problems[0].value) == (2, "n", "=1+1")


def test_a_formula_with_a_saved_result_is_its_value():
    raw = _with_cached_result(xlsx([["country", "n"], ["KAZ", "=1+1"]]), b"2")
    tables, problems = read_upload("s.xlsx", raw)
    assert problems == [] and tables["table"].at[0, "n"] == "2"


def _with_cached_result(raw: bytes, value: bytes) -> bytes:
    """The workbook with each formula's empty saved result set to `value`."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<v></v>", b"<v>" + value + b"</v>").replace(
                    b"<v />", b"<v>" + value + b"</v>"
                )
            target.writestr(info.filename, data)
    return out.getvalue()


# --- never an exception -------------------------------------------------------------------------


def _never_raised(problems) -> bool:
    return not any(UNEXPECTED in p.rule for p in problems)


@settings(max_examples=60, deadline=None)
@given(
    raw=st.binary(max_size=3000),
    suffix=st.sampled_from([".csv", ".tsv", ".txt", ".xlsx", ".zip", ".CSV", "", ".pdf"]),
)
def test_random_bytes_give_tables_or_problems(raw, suffix):
    tables, problems = read_upload(f"f{suffix}", raw)
    assert (tables is None) == bool(problems) and _never_raised(problems)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251"]),
)
def test_random_csv_dialects_give_tables_or_problems(rows, delimiter, quoting, ending, encoding):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=ending).writerows(rows)
    raw = out.getvalue().encode(encoding, errors="replace")
    tables, problems = read_upload("d.csv", raw)
    assert (tables is None) == bool(problems) and _never_raised(problems)


NAMES = ["positions.csv", "issues.csv", "a/positions.csv", "x.txt", "d/", "README.md", "s.xlsx"]


NAMES = ["positions.csv", "issues.csv", "a/positions.csv", "x.txt", "d/", "README.md", "s.xlsx"]


@settings(max_examples=40, deadline=None)
@given(
    members=st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.binary(max_size=300) | st.sampled_from([POSITIONS.encode()[:2000], b"", b"PK"]),
            st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2]),
        ),
        max_size=5,
    ),
    junk=st.binary(max_size=20),
    cut=st.integers(min_value=0, max_value=50),
    suffix=st.sampled_from([".zip", ".xlsx"]),
)
def test_random_zips_give_tables_or_problems(members, junk, cut, suffix):
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are part of the test
        with zipfile.ZipFile(out, "w") as archive:
            for name, content, method in members:
                archive.writestr(name, content, compress_type=method)
    raw = out.getvalue()
    raw = raw[: len(raw) - cut] + junk if cut else raw + junk
    tables, problems = read_upload(f"z{suffix}", raw)
    assert (tables is None) == bool(problems) and _never_raised(problems)


# Conforming: every problem names the uploaded file's own row and column.


def _long(*rows: str) -> bytes:
    return "\n".join([POSITIONS.splitlines()[0], *rows]).encode() + b"\n"


def _row(n: int, **changes: str) -> str:
    """Row `n` of the bundled positions (1 is the first observation), with columns changed."""
    header = POSITIONS.splitlines()[0].split(",")
    cells = next(r for i, r in enumerate(csv.reader(io.StringIO(POSITIONS))) if i == n)
    cells = [changes.get(h, c) for h, c in zip(header, cells, strict=True)]
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def _rows_problems(result) -> list[tuple]:
    return [(p.file, p.row, p.column) for p in result.problems]


def test_a_merged_file_names_its_own_rows_not_rows_after_the_base(dataset):
    raw = _long(_row(1, date="2030-01-05"), _row(2, date="2030-01-06", confidence="sure"))
    alone = import_file("mine.csv", raw, dataset)
    merged = import_file("mine.csv", raw, dataset, merge=True)
    assert _rows_problems(alone) == _rows_problems(merged) == [("mine.csv", 3, "confidence")]


def test_a_merged_repeat_names_the_files_row_and_the_observation_it_repeats(dataset):
    merged = import_file("mine.csv", _long(_row(1, date="2030-01-05"), _row(2)), dataset,
                         merge=True)  # fmt: skip
    (problem,) = merged.problems
    assert (problem.file, problem.row) == ("mine.csv", 3)
    assert "repeats row 3 of positions.csv in the data you have" in problem.rule


def _read_with_rows(monkeypatch, text: str, rows: list[int]) -> None:
    """Make the reader give `text` as a frame indexed by its spreadsheet rows - 2, as a reader
    that counts blank lines does."""
    import pandas as pd

    import core.ingest.importing

    parsed = list(csv.reader(io.StringIO(text)))
    frame = pd.DataFrame(parsed[1:], columns=parsed[0], index=[r - 2 for r in rows], dtype=str)
    monkeypatch.setattr(
        core.ingest.importing, "read_upload", lambda name, raw: ({"table": frame}, [])
    )


@pytest.mark.parametrize("merge", [False, True])
def test_long_rows_keep_the_readers_row_numbers(dataset, monkeypatch, merge):
    text = _long(_row(1, date="2030-01-05"), _row(2, date="2030-01-06", summary="")).decode()
    _read_with_rows(monkeypatch, text, [4, 9])
    result = import_file("mine.csv", b"", dataset, merge=merge)
    assert _rows_problems(result) == [("mine.csv", 9, "summary")]


def test_wide_rows_keep_the_readers_row_numbers(dataset, monkeypatch):
    _read_with_rows(monkeypatch, "country,as_of,troop_request\nKAZ,2022-03-01,refused\n"
                    "KGZ,2022-02-30,refused\n", [3, 7])  # fmt: skip
    result = import_file("wide.csv", b"", dataset)
    assert _rows_problems(result) == [("wide.csv", 7, "as_of")]


def test_a_wide_cells_problem_names_the_files_row_and_issue_column(dataset):
    raw = (b"country,as_of,unga_es11_1,troop_request\nKAZ,2022-03-01,yes,refused\n"
           b"RUS,2022-03-01,no,refused\n")  # fmt: skip
    result = import_file("wide.csv", raw, dataset)
    assert _rows_problems(result) == [("wide.csv", 3, "troop_request")]
    assert "does not apply to RUS" in result.problems[0].rule
    cells = b"KAZ,2022-03-01,yes,refused\n"
    twice = b"country,as_of,unga_es11_1,troop_request\n" + cells + b"KGZ,2022-03-01,yes,\n" + cells
    result = import_file("wide.csv", twice, dataset)
    rows = [(p.row, p.column) for p in result.problems]
    assert rows == [(4, "unga_es11_1"), (4, "troop_request")]
    assert all("repeats row 2" in p.rule for p in result.problems)


def test_the_date_chosen_for_a_matrix_is_named_when_it_is_out_of_range(dataset):
    raw = b"country,troop_request\nKAZ,refused\n"
    result = import_file("wide.csv", raw, dataset, as_of=dt.date(1850, 1, 1))
    assert _rows_problems(result) == [("wide.csv", 2, "as_of (the date chosen on import)")]
    assert "between 1900-01-01 and 2100-12-31" in result.problems[0].rule


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("X", "makes the issue id 'x', which needs at least two letters"),
        ("Y" * 41, "makes an issue label longer than 40 characters; shorten it"),
    ],
)
def test_a_new_issue_that_breaks_a_rule_is_said_of_the_column_name(dataset, header, words):
    raw = f"country,as_of,{header}\nKAZ,2022-03-01,1\n".encode()
    result = import_file("wide.csv", raw, dataset, add_unknown=True)
    assert _rows_problems(result) == [("wide.csv", 1, header)]
    assert f"the column name '{header}' {words}" in result.problems[0].rule


def test_two_columns_making_one_issue_id_get_two_issues_and_an_empty_one_is_said_plainly(dataset):
    raw = b"country,as_of,Grain deal,grain-deal\nKAZ,2022-03-01,1,2\n"
    twins = import_file("wide.csv", raw, dataset, add_unknown=True)
    assert twins.problems == [] and twins.added.issues == ["grain_deal", "grain_deal_2"]
    issues = twins.dataset.issues.set_index("id")["label"]
    assert issues[["grain_deal", "grain_deal_2"]].tolist() == ["Grain deal", "grain-deal"]
    raw = b"country,as_of,Grain deal,Empty one\nKAZ,2022-03-01,1,\n"
    (empty,) = import_file("wide.csv", raw, dataset, add_unknown=True).problems
    assert (empty.file, empty.row, empty.column) == ("wide.csv", 1, "Empty one")
    assert "the column 'Empty one' has no values" in empty.rule


def test_a_matrix_with_no_filled_cell_is_refused():
    from core.ingest.package import load_bundled

    result = import_file("wide.csv", b"country,troop_request\nKAZ,\n", load_bundled(),
                         as_of=dt.date(2022, 3, 1))  # fmt: skip
    assert result.dataset is None and "nothing to import" in result.problems[0].rule


@pytest.mark.parametrize(
    "raw",
    [
        _long(_row(1)).replace(b"country,", b"country,Country,", 1).replace(b"KAZ,", b"KAZ,KAZ,"),
        b"Country,COUNTRY,troop_request\nKAZ,KAZ,refused\n",
        b"country,As_Of,AS_OF,troop_request\nKAZ,2022-03-01,2022-03-01,refused\n",
    ],
)
def test_case_variant_headers_give_a_problem_not_an_exception(dataset, raw):
    result = import_file("case.csv", raw, dataset)
    assert result.dataset is None
    assert [(p.file, p.row) for p in result.problems] == [("case.csv", 1)]
    assert "letter case does not make columns different" in result.problems[0].rule


def test_a_long_file_in_capitals_is_read_and_its_problems_name_its_headers(dataset):
    raw = _long(_row(1, confidence="sure")).replace(b"confidence", b"CONFIDENCE", 1)
    assert _rows_problems(import_file("caps.csv", raw, dataset)) == [("caps.csv", 2, "CONFIDENCE")]


def _without(content: bytes, column: str) -> bytes:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    keep = [i for i, name in enumerate(rows[0]) if name != column]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
    return out.getvalue().encode()


@pytest.mark.parametrize(
    ("member", "column"),
    [("positions.csv", "country"), ("positions.csv", "date"), ("countries.csv", "iso3"),
     ("observation_sources.csv", "date"), ("observation_sources.csv", "country"),
     ("issues.csv", "id")],
)  # fmt: skip
@pytest.mark.parametrize("with_further", [True, False])
def test_a_package_table_without_a_key_column_gives_a_problem(dataset, member, column,
                                                              with_further):  # fmt: skip
    members = package_members()
    members[member] = _without(members[member], column)
    if not with_further and member != "observation_sources.csv":
        del members["observation_sources.csv"]
    result = import_file("pkg.zip", zipped(members), dataset)
    assert result.dataset is None
    assert ("pkg.zip/" + member, 1, column) in _rows_problems(result)
