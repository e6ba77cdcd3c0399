"""*Download this view*: the cells or observations a page shows, as CSV or as an Excel workbook
with a README sheet (built by core.serving.view_export), and the print stylesheet."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from core.analysis.measures import WEIGHT_PRESETS
from core.analysis.query import format_date
from core.model.dataset import Dataset
from core.serving.export import dataset_citation, package_descriptor
from core.serving.view_export import ViewInfo, view_csv, view_rows, view_xlsx
from ui.charts import print_style
from ui.contract import PAGE, PAGES, WEIGHT_PREFIX, params_of
from ui.links import CURRENT_PAGE, current_link_pairs, view_link

EXPORT_FAILED = (
    "The export could not be made. Try again, or download the whole dataset under Your data."
)
FILTER_NAMES = {
    "categories": "categories",
    "show": "the map shows",
    "region": "the map frames",
    "sort": "countries ordered by",
    "weights": "alignment index weights",
    "min_issues": "the index ranks countries scored on at least this many issues",
    "period": "period",
    "country": "country",
    "cell": "evidence open for",
}
"""The README sheet's words for the parameters of a view; countries and issues are listed from
what is shown, dates have rows of their own."""
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _listed(values: list[str]) -> str:
    return f"{len(values)}: " + ", ".join(values) if values else "none"


def _value_words(ds: Dataset, name: str, value: str, state: Mapping) -> str:
    countries = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    issues = dict(zip(ds.issues["id"], ds.issues["label"], strict=True))
    if name in ("country", "show"):
        return countries.get(value) or issues.get(value) or "the alignment index"
    if name == "cell":
        country, _, issue = value.partition(":")
        return f"{countries.get(country, country)}, {issues.get(issue, issue)}"
    if name == "weights" and value == WEIGHT_PRESETS["custom"]:
        keys = [k for k in sorted(state) if k.startswith(WEIGHT_PREFIX)]
        weights = [f"{k.removeprefix(WEIGHT_PREFIX)} {state[k]}" for k in keys]
        return f"{value}: {', '.join(weights)}"
    return str(value)


def filter_words(ds: Dataset, page: str, state: Mapping, rows: pd.DataFrame) -> list[tuple]:
    """The view's filters in words: the countries and issues shown (from the export `rows`),
    then each other setting of `page` as the session `state` holds it."""
    words = [
        ("countries", _listed(list(dict.fromkeys(rows["Country"])))),
        ("issues", _listed(list(dict.fromkeys(rows["Issue"])))),
    ]
    for param in params_of(page):
        value = state.get(param.state_key(page), param.default)
        if param.name not in FILTER_NAMES or value in (None, "", []):
            continue
        values = value if isinstance(value, list | tuple) else [value]
        said = ", ".join(_value_words(ds, param.name, str(v), state) for v in values)
        words.append((FILTER_NAMES[param.name], said))
    return words


def _guarded(build: Callable[[], bytes]) -> Callable[[], bytes]:
    """A deferred download that fails with a plain message; the details go to the server log."""

    def run() -> bytes:
        try:
            return build()
        except Exception as error:
            logging.getLogger("dashboard").exception("export failed")
            raise RuntimeError(EXPORT_FAILED) from error

    return run


def _view_title(page: str, as_of, period) -> str:
    title = PAGE[page].title if page in PAGE else "View"
    if as_of is not None:
        return f"{title} as of {format_date(pd.Timestamp(as_of), 'day')}"
    if period is not None:
        start, end = (format_date(pd.Timestamp(d), "day") for d in period)
        return f"{title}, {start} to {end}"
    return title


def download_view(ds: Dataset, frame: pd.DataFrame, *, as_of=None, period=None) -> None:
    """*Download this view* next to *Link to this view*: the cells or observations in `frame`
    (exactly those shown) as CSV and XLSX, as of `as_of` or over `period`. The tables are made
    only when a button is pressed: made on every run, they took a fifth of the server's time
    under load (py-spy, 50 explorers). What they need of the session is read now."""
    print_style()
    page = st.session_state.get(CURRENT_PAGE, PAGES[0].name)
    try:
        state = dict(st.session_state)
        link = view_link(current_link_pairs(ds))
        day = pd.Timestamp(as_of if as_of is not None else (period or [None, None])[1] or "today")
        stem = f"{page}-{day:%Y-%m-%d}"
        title = _view_title(page, as_of, period)
        version = package_descriptor(ds).get("version", "") or "imported data (no version)"
    except Exception:
        logging.getLogger("dashboard").exception("export of %s failed", page)
        st.caption(EXPORT_FAILED)
        return

    def workbook() -> bytes:
        rows = view_rows(ds, frame)
        filters = tuple(filter_words(ds, page, state, rows))
        info = ViewInfo(title, as_of=as_of, period=period, filters=filters, link=link)
        return view_xlsx(rows, info, citation=dataset_citation(ds), version=version)

    with st.popover("Download this view", icon=":material/download:"):
        st.caption(
            f"The {len(frame)} cells or observations shown, one row each: names and codes, the "
            "question, stance and score, date, confidence, summary and every source in full. "
            "The workbook adds a README sheet with the date, the filters, the link and how "
            "to cite the data."
        )
        st.download_button(
            "Table (CSV)", _guarded(lambda: view_csv(view_rows(ds, frame))),
            file_name=f"{stem}.csv", mime="text/csv", key=f"view_csv_{page}",
            icon=":material/csv:", on_click="ignore",
        )  # fmt: skip
        st.download_button(
            "Workbook with README (XLSX)", _guarded(workbook), file_name=f"{stem}.xlsx",
            mime=XLSX_MIME, key=f"view_xlsx_{page}", icon=":material/table_view:",
            on_click="ignore",
        )  # fmt: skip
