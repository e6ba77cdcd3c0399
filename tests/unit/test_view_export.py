"""*Download this view*: rows in words, CSV formulas off, a typed workbook with its README."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from core.analysis.measures import changes
from core.analysis.query import cells, observations
from core.ingest.package import load_tables
from core.serving.view_export import (
    DATA_SHEET,
    README_SHEET,
    ViewInfo,
    observations_in,
    view_csv,
    view_rows,
    view_xlsx,
)
from tests.conftest import dataset_with

WHEN = pd.Timestamp("2022-03-15")
ROWS = [
    ("KGZ", "anti_war_protests", "2022-03-05", "allowed"),
    ("KAZ", "anti_war_protests", "2022-03-10", "banned"),
    ("KGZ", "anti_war_protests", "2022-03-20", "banned"),
]


@pytest.fixture
def tiny(tables):
    return dataset_with(tables, ROWS)


def cell_rows(ds, countries=("KAZ", "KGZ", "RUS"), issues=("anti_war_protests", "russian_media")):
    return view_rows(ds, cells(ds, WHEN, list(countries), list(issues)))


def workbook(rows, info=None):
    info = info or ViewInfo("Matrix as of 15 Mar 2022", as_of=WHEN)
    data = view_xlsx(rows, info, citation="Cite me.", version="1.2.0")
    return load_workbook(io.BytesIO(data))


def test_a_row_per_cell_in_words_with_its_score_as_a_number(tiny):
    rows = cell_rows(tiny).set_index(["ISO3", "Issue id"])
    kgz = rows.loc[("KGZ", "anti_war_protests")]
    assert (kgz["Country"], kgz["Issue"], kgz["Stance"]) == ("Kyrgyzstan", "Anti-war protests",
                                                             "Allowed")  # fmt: skip
    assert kgz["Score"] == 1 and kgz["Stance and score"] == "Allowed (score +1)"
    assert kgz["Date"] == pd.Timestamp("2022-03-05") and kgz["Date as known"] == "5 Mar 2022"
    assert kgz["Question"].endswith("?")
    assert kgz["Sources"].startswith("Paul Stronski, “The Common Theme")
    assert kgz["Source URLs"].startswith("https://") and kgz["Number of sources"] == 1


@pytest.mark.parametrize(
    ("iso3", "state"), [("RUS", "not applicable"), ("TJK", "no evidence")]
)  # fmt: skip
def test_a_cell_without_a_score_has_its_state_words_and_nothing_else(tiny, iso3, state):
    row = cell_rows(tiny, countries=[iso3], issues=["russian_media"]).iloc[0]
    assert row["Cell state"] == row["Stance and score"] == state
    assert pd.isna(row["Score"]) and pd.isna(row["Date"])
    assert row["Stance"] == row["Sources"] == row["Summary"] == ""
    assert row["Number of sources"] == 0


def test_a_cell_with_several_sources_cites_them_all(tables):
    dataset_with(tables, ROWS[:1])  # leaves `tables` with this one observation
    further = pd.DataFrame(
        [{"country": "KGZ", "issue": "anti_war_protests", "date": "2022-03-05",
          "source": "UNDL-3959039", "locator": "p. 2"}]
    )  # fmt: skip
    tables["observation_sources"] = further
    result = load_tables(tables)
    assert result.ok, result.problems[:3]
    row = cell_rows(result.dataset, countries=["KGZ"]).iloc[0]
    assert row["Issue id"] == "anti_war_protests"
    assert row["Number of sources"] == 2
    citations = row["Sources"].split("\n")
    assert len(citations) == 2 and "Paul Stronski" in citations[0]
    assert "United Nations Digital Library" in citations[1]
    assert row["Locators"].split("\n") == ["l", "p. 2"]
    assert row["Source URLs"].split("\n")[1] == "https://digitallibrary.un.org/record/3959039"


def test_the_timeline_exports_the_observations_it_shows(tiny):
    obs = observations(tiny)
    shown = observations_in(tiny, obs, ["KGZ"], ["Domestic"], (WHEN, pd.Timestamp("2022-12-31")))
    rows = view_rows(tiny, shown)
    assert list(rows["Date"]) == [pd.Timestamp("2022-03-20")]
    assert list(rows["Cell state"]) == ["scored"] and list(rows["Score"]) == [-1]
    assert observations_in(tiny, obs, ["KGZ"], ["UN votes"], (WHEN, WHEN)).empty


def test_changes_export_the_stance_before_and_the_change(tiny):
    moved = changes(tiny, WHEN, pd.Timestamp("2022-04-01"), ["KGZ"], ["anti_war_protests"])
    row = view_rows(tiny, moved).iloc[0]
    assert row["Stance before"] == "Allowed (score +1)" and row["Score before"] == 1
    assert row["Change"] == -2 and row["Path"] == "Allowed → Banned"


def test_csv_is_the_same_table_with_dates_and_whole_scores_and_no_formula(tables):
    ds = dataset_with(tables, ROWS[:1])
    ds.positions.loc[0, "summary"] = "=HYPERLINK(1)"
    text = view_csv(cell_rows(ds, countries=["KGZ"])).decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(cell_rows(ds).columns)
    row = frame.iloc[0]
    assert (row["Score"], row["Date"]) == ("1", "2022-03-05")
    assert row["Summary"] == "'=HYPERLINK(1)"


def test_xlsx_opens_on_the_data_with_typed_cells(tiny):
    book = workbook(cell_rows(tiny))
    assert book.sheetnames == [DATA_SHEET, README_SHEET] and book.active.title == DATA_SHEET
    sheet = book[DATA_SHEET]
    header = [c.value for c in sheet[1]]
    kgz = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("ISO3")].value == "KGZ")
    score, date = kgz[header.index("Score")], kgz[header.index("Date")]
    assert score.value == 1 and score.data_type == "n"
    assert date.value == dt.datetime(2022, 3, 5) and date.number_format == "YYYY-MM-DD"
    rus = [r for r in sheet.iter_rows(min_row=2) if r[header.index("ISO3")].value == "RUS"][-1]
    assert rus[header.index("Score")].value is None
    assert rus[header.index("Cell state")].value == "not applicable"


def test_xlsx_guards_formulas_in_text(tables):
    ds = dataset_with(tables, ROWS[:1])
    ds.positions.loc[0, "summary"] = "@SUM(A1)"
    sheet = workbook(cell_rows(ds, countries=["KGZ"]))[DATA_SHEET]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(2, header.index("Summary") + 1)
    assert cell.value == "'@SUM(A1)" and cell.data_type == "s"


def test_readme_sheet_states_the_view_filters_link_version_and_citation(tiny):
    info = ViewInfo(
        "What changed, 24 Feb 2022 to 1 Apr 2022",
        period=(pd.Timestamp("2022-02-24"), pd.Timestamp("2022-04-01")),
        filters=(("countries", "2: Kazakhstan, Kyrgyzstan"), ("alignment index weights", "Equal")),
        link="http://localhost/changes?countries=KAZ&countries=KGZ",
        downloaded=dt.date(2026, 1, 2),
    )
    readme = dict(workbook(cell_rows(tiny), info)[README_SHEET].iter_rows(values_only=True))
    assert readme["View"] == info.title
    assert readme["From"] == dt.datetime(2022, 2, 24) and readme["To"] == dt.datetime(2022, 4, 1)
    assert readme["Filter: countries"] == "2: Kazakhstan, Kyrgyzstan"
    assert readme["Filter: alignment index weights"] == "Equal"
    assert readme["Link to this view"] == info.link
    assert (readme["Dataset version"], readme["Cite as"]) == ("1.2.0", "Cite me.")
    assert readme["Downloaded"] == dt.datetime(2026, 1, 2)
    assert "As of" not in readme and "Column: Score" in readme


def test_an_empty_view_exports_a_header_only(tiny):
    rows = view_rows(tiny, cells(tiny, WHEN, [], []))
    assert rows.empty and "Sources" in rows.columns
    assert workbook(rows)[DATA_SHEET].max_row == 1


def test_rows_read_country_by_country_in_codebook_order(tiny):
    rows = cell_rows(tiny, countries=("KGZ", "KAZ"))
    assert list(zip(rows["ISO3"], rows["Issue id"], strict=True)) == [
        ("KAZ", "anti_war_protests"), ("KAZ", "russian_media"),
        ("KGZ", "anti_war_protests"), ("KGZ", "russian_media"),
    ]  # fmt: skip
