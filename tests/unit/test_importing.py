"""Importing a user's file: every bad file gives a clear problem, never an exception."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.conform import import_file
from core.countries import iso3
from core.importing import decode, read_upload, sniff_delimiter
from tests.unit.corpus import BAD_FILES, POSITIONS, WIDE, package_members, xlsx, zipped


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
    assert result.added_countries == ["TUR"]
    assert ds.countries.set_index("iso3").at["TUR", "name"] == "Türkiye"


def test_numeric_matrix_needs_no_labels_and_unknown_issues_can_be_added(dataset):
    raw = b"country,as_of,Troops for Russia,Grain deal\nKAZ,2022-03-01,2,1\nRUS,2022-03-01,,-2\n"
    refused = import_file("m.csv", raw, dataset)
    assert any(p.column == "Grain deal" and "not an issue" in p.rule for p in refused.problems)
    result = import_file("m.csv", raw, dataset, add_unknown=True)
    assert result.problems == []
    assert result.added_issues == ["grain_deal"]
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
    from core.dataset import load_package

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


def test_ten_thousand_columns_are_checked_for_repeats_in_one_pass():
    header = ",".join(f"c{i}" for i in range(10_000)) + ",c5\n"
    frame, problems = read_upload("wide.csv", (header + ",".join("1" * 10_001) + "\n").encode())
    assert frame is None and "names a column twice: c5" in problems[0].rule
