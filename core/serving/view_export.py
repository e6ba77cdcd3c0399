"""*Download this view*: the cells or observations a page shows, as a CSV table and as a typed
workbook with a README sheet (the as-of date or period, the filters, the link, the citation).

One row per shown cell or observation, in words a policy analyst can use: names beside codes,
labels beside questions, the stance beside its score, every source cited in full.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.analysis.query import format_date
from core.model.dataset import Dataset
from core.model.provenance import source_citation
from core.model.vocabulary import SCORED, STATE_NAMES, stance_words
from core.serving.export import EXCEL_DATE_FORMAT, csv_bytes, xlsx_text

SOURCE_SEPARATOR = "\n"
"""Between the citations (and URLs, locators) of a cell with several sources: one per line."""
DATA_SHEET, README_SHEET = "data", "README"
NUMBER_COLUMNS = ("Score", "Score before", "Change", "Number of sources")
DATE_COLUMNS = ("Date",)
COLUMNS = (
    ("Country", "the country's name"),
    ("ISO3", "its ISO 3166-1 alpha-3 code"),
    ("Issue", "the issue's short label"),
    ("Issue id", "the issue's id in the data package"),
    ("Question", "what the issue asks"),
    ("Category", "the issue's category"),
    ("Cell state", "scored, no evidence (the issue applies, nothing is coded by the date) or "
     "not applicable (the issue does not concern the country)"),
    ("Stance", "the stance's label, empty when the cell is not scored"),
    ("Score", "the stance's score, a number from -2 (siding with Moscow) to +2 (open distancing)"),
    ("Stance and score", "the stance and its signed score in words, or the cell state"),
    ("Date", "the date of the observation (a real date in the workbook)"),
    ("Date precision", "day, month (dated the 1st) or approximate"),
    ("Date as known", "the date written as precisely as it is known"),
    ("Confidence", "the coder's confidence: high, medium or low"),
    ("Summary", "what was observed"),
    ("Sources", "every source of the observation, cited in full, one per line"),
    ("Source URLs", "their addresses, one per line"),
    ("Locators", "where in each source, one per line"),
    ("Number of sources", "how many sources the observation cites"),
)  # fmt: skip
WIDTHS = {
    "Country": 13, "ISO3": 7, "Issue": 18, "Issue id": 18, "Question": 50, "Category": 12,
    "Cell state": 13, "Stance": 14, "Score": 7, "Stance and score": 18, "Date": 12,
    "Date precision": 10, "Date as known": 13, "Confidence": 11, "Summary": 60, "Sources": 70,
    "Source URLs": 45, "Locators": 28, "Number of sources": 10, "Path": 30,
}  # fmt: skip
"""Column widths in the workbook (characters); other columns get 16."""
CHANGE_COLUMNS = (
    ("Stance before", "on What changed: the stance (or cell state) at the start of the period"),
    ("Score before", "its score"),
    ("Change", "the score's change over the period (after minus before)"),
    ("Path", "every stance the cell took over the period"),
)


@dataclass(frozen=True)
class ViewInfo:
    """What the README sheet says about the view: its title, date or period, and filters."""

    title: str
    as_of: pd.Timestamp | None = None
    period: tuple[pd.Timestamp, pd.Timestamp] | None = None
    filters: tuple[tuple[str, str], ...] = ()
    link: str = ""
    downloaded: dt.date = field(default_factory=dt.date.today)


def _sources(ds: Dataset) -> pd.DataFrame:
    return ds.sources.rename(columns={"title": "source_title"}).set_index("id")


def source_lists(ds: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """Per row of `frame` (country, issue, date, source, locator): its principal source and every
    further source (`ds.observation_sources`), as citations, URLs and locators, one per line."""
    sources = _sources(ds)
    further = ds.observation_sources.groupby(["country", "issue", "date"])
    keys = set(further.groups)
    rows = []
    for row in frame[["country", "issue", "date", "source", "locator"]].itertuples(index=False):
        cited = [(row.source, row.locator)] if isinstance(row.source, str) and row.source else []
        if (row.country, row.issue, row.date) in keys:
            extra = further.get_group((row.country, row.issue, row.date))
            cited += list(zip(extra["source"], extra["locator"], strict=True))
        known = [(sources.loc[s], loc) for s, loc in cited if s in sources.index]
        rows.append(
            {
                "Sources": SOURCE_SEPARATOR.join(source_citation(s) for s, _ in known),
                "Source URLs": SOURCE_SEPARATOR.join(s.get("url", "") for s, _ in known),
                "Locators": SOURCE_SEPARATOR.join(str(loc) for _, loc in known),
                "Number of sources": len(cited),
            }
        )
    return pd.DataFrame(rows, index=frame.index, columns=[c for c, _ in COLUMNS[-4:]])


def _with_issue_meta(ds: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """Observations get what `core.analysis.query.cells` already gives: names and questions."""
    if "question" in frame.columns:
        return frame
    meta = ds.issues.set_index("id")
    names = ds.countries.set_index("iso3")["name"]
    return frame.assign(
        country_name=frame["country"].map(names),
        issue_label=frame["issue"].map(meta["label"]),
        category=frame["issue"].map(meta["category"]),
        question=frame["issue"].map(meta["question"]),
        state=frame.get("state", SCORED),
    )


def _reading_order(ds: Dataset, f: pd.DataFrame) -> pd.DataFrame:
    """Row by row as the matrix reads: country by country (in the data's order), each country's
    issues in codebook order, its observations by date."""
    countries = {c: i for i, c in enumerate(ds.countries["iso3"])}
    issues = dict(zip(ds.issues["id"], ds.issues["order"], strict=True))
    keys = pd.DataFrame(
        {"c": f["country"].map(countries), "d": f["date"], "i": f["issue"].map(issues)}
    )
    by = ["c", "d", "i"] if "issue_order" not in f.columns else ["c", "i"]
    return f.loc[keys.sort_values(by, kind="stable").index].reset_index(drop=True)


def _stance_text(state: str, label: object, score: object) -> str:
    return stance_words(str(label), float(score)) if state == SCORED else STATE_NAMES[state]


def view_rows(ds: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """The export table of `frame`: cells (from `cells`, or `changes`) or observations (from
    `observations`). Scores are numbers, dates timestamps, a cell without a score has its state
    words and no stance, date or source."""
    f = _reading_order(ds, _with_issue_meta(ds, frame))
    scored = f["state"] == SCORED
    f = f.assign(
        date=f["date"].where(scored), score=f["score"].where(scored), label=f["label"].where(scored)
    )
    out = pd.DataFrame(
        {
            "Country": f["country_name"],
            "ISO3": f["country"],
            "Issue": f["issue_label"],
            "Issue id": f["issue"],
            "Question": f["question"],
            "Category": f["category"],
            "Cell state": f["state"].map(STATE_NAMES),
            "Stance": f["label"].where(scored, ""),
            "Score": f["score"].astype("Int64"),
            "Stance and score": [
                _stance_text(s, lab, sc)
                for s, lab, sc in zip(f["state"], f["label"], f["score"], strict=True)
            ],
            "Date": f["date"],
            "Date precision": f["date_precision"].where(scored, ""),
            "Date as known": [
                format_date(d, p) if s == SCORED else ""
                for d, p, s in zip(f["date"], f["date_precision"], f["state"], strict=True)
            ],
            "Confidence": f["confidence"].where(scored, ""),
            "Summary": f["summary"].where(scored, ""),
        }
    )
    sources = source_lists(ds, f.assign(source=f["source"].where(scored, "")))
    out = pd.concat([out, sources], axis=1)
    if "state_before" in f.columns:
        out = pd.concat([out, _change_columns(f)], axis=1)
    return out.fillna({c: "" for c in out.columns if c not in (*NUMBER_COLUMNS, *DATE_COLUMNS)})


def _change_columns(f: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Stance before": [
                _stance_text(s, lab, sc)
                for s, lab, sc in zip(
                    f["state_before"], f["label_before"], f["score_before"], strict=True
                )
            ],
            "Score before": f["score_before"].astype("Int64"),
            "Change": f["delta"].astype("Int64"),
            "Path": f["path"],
        }
    )


def observations_in(
    ds: Dataset, obs: pd.DataFrame, countries: list[str], categories: list[str],
    period: tuple[pd.Timestamp, pd.Timestamp],
) -> pd.DataFrame:  # fmt: skip
    """The observations a timeline shows: of `countries`, in `categories`, dated in `period`."""
    category = obs["issue"].map(ds.issues.set_index("id")["category"])
    shown = obs["country"].isin(countries) & category.isin(categories)
    shown &= obs["date"].between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))
    return obs[shown].sort_values(["country", "date"], kind="stable")


def view_csv(rows: pd.DataFrame) -> bytes:
    """The export table as CSV: dates YYYY-MM-DD, scores whole numbers, formulas off."""
    text = rows.copy()
    for column in rows.columns:
        if column in DATE_COLUMNS:
            text[column] = rows[column].dt.strftime("%Y-%m-%d")
        text[column] = text[column].astype(object).where(text[column].notna(), "")
    return csv_bytes(text)


def readme_rows(info: ViewInfo, citation: str, version: str) -> list[tuple[str, object]]:
    """The README sheet, as (field, value) rows; dates stay dates."""
    rows: list[tuple[str, object]] = [("View", info.title)]
    if info.as_of is not None:
        rows.append(("As of", pd.Timestamp(info.as_of).to_pydatetime()))
    if info.period is not None:
        rows += [
            ("From", pd.Timestamp(info.period[0]).to_pydatetime()),
            ("To", pd.Timestamp(info.period[1]).to_pydatetime()),
        ]
    rows += [(f"Filter: {name}", words) for name, words in info.filters]
    rows += [
        ("Link to this view", info.link),
        ("Dataset version", version),
        ("Cite as", citation),
        ("Downloaded", dt.datetime.combine(info.downloaded, dt.time())),
        ("", ""),
    ]
    rows += [(f"Column: {name}", help_) for name, help_ in (*COLUMNS, *CHANGE_COLUMNS)]
    rows.append(
        ("Formulas", "A text that starts with = + - @ or a tab has an apostrophe in front so "
         "that a spreadsheet cannot run it as a formula.")
    )  # fmt: skip
    return rows


def _cell(value: object) -> object:
    """A worksheet value: numbers and dates typed, text guarded, missing values empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, dt.datetime | int | float) and not isinstance(value, bool):
        return value
    return xlsx_text(value)


def _write(sheet, header: list[str], records, widths: dict[int, int]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        sheet.append([_cell(v) for v in record])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = EXCEL_DATE_FORMAT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, width in widths.items():
        sheet.column_dimensions[sheet.cell(1, number).column_letter].width = width
    sheet.freeze_panes = "A2"


def view_xlsx(rows: pd.DataFrame, info: ViewInfo, *, citation: str, version: str) -> bytes:
    """The export table as a workbook that opens on its data sheet (typed: scores numbers, dates
    shown YYYY-MM-DD), then a README sheet with the view, its filters, link and citation."""
    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    widths = {i: WIDTHS.get(c, 16) for i, c in enumerate(rows.columns, start=1)}
    records = rows.astype(object).where(rows.notna(), None).itertuples(index=False)
    _write(data, list(rows.columns), records, widths)
    data.auto_filter.ref = data.dimensions
    readme = book.create_sheet(README_SHEET)
    _write(readme, ["About this file", ""], readme_rows(info, citation, version), {1: 28, 2: 110})
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
