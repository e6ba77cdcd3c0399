"""Data page: the current dataset, its validation status, and Import / Edit / Export."""

import datetime as dt

import pandas as pd
import streamlit as st

from core.ingest.conform import TABLES, base_tables, keep_sources_of_unchanged_observations
from core.ingest.package import load_tables
from core.ingest.read import MAX_COLUMNS, MAX_ROWS
from core.ingest.sandbox import problem_count
from core.model.dataset import Dataset
from core.model.problems import Problem, problems_frame
from core.serving.export import csv_bytes, package_zip, xlsx_bytes
from core.serving.store import StoreFull
from core.settings import DATASET_TTL_DAYS, IMPORT_SECONDS, MAX_UPLOAD_MB
from ui.charts import IMAGE_FORMAT, IMAGE_FORMATS
from ui.import_job import CANCELLED, import_with_progress
from ui.links import notice_ignored_link_values
from ui.state import (
    DATA_ID,
    cached_base_tables,
    configured_dataset,
    current_dataset,
    current_label,
    dataset_store,
    use_dataset,
)
from ui.text import md_escape

SHOWN_PROBLEMS = 1000
UNDO = "data_undo"

ds = current_dataset()
notice_ignored_link_values(ds)
st.title("Your data: import, edit, export")
imported = bool(st.session_state.get(DATA_ID))
st.markdown(
    f"You are looking at **{md_escape(current_label())}**: {len(ds.positions):,} observations of "
    f"{len(ds.countries)} countries on {len(ds.issues)} issues. It is valid: every page "
    "shows it."
)
if imported:
    st.caption(
        "An imported or edited dataset is kept on this server under the id in this page's "
        f"link (`?data=…`): anyone with the link can open it, nobody else can find it. It is "
        f"deleted after {DATASET_TTL_DAYS} days without use, or earlier if the server's store "
        "fills up and it is among those unused for longest. The bundled data is never changed."
    )


def show_problems(problems: list[Problem], file: str) -> None:
    """Every problem in a table (the first SHOWN_PROBLEMS), with the full list to download."""
    st.error(
        f"{md_escape(file)} was not applied: {problem_count(problems):,} problem(s). Your data is "
        "unchanged. Each row below names the file, row (as numbered in a spreadsheet), column, "
        "value and rule."
    )
    frame = problems_frame(problems)
    with st.container(key="problems"):
        st.dataframe(frame.head(SHOWN_PROBLEMS), hide_index=True, width="stretch")
    if len(problems) > SHOWN_PROBLEMS:
        st.caption(f"Showing the first {SHOWN_PROBLEMS:,} of {len(problems):,}.")
    st.download_button(
        "Download all problems (CSV)", lambda: csv_bytes(frame), file_name="problems.csv",
        mime="text/csv", on_click="ignore",
    )  # fmt: skip


def save(valid: Dataset, label: str) -> bool:
    """Store a validated dataset and show it; remember the previous one for undo."""
    try:
        new_id = dataset_store().put_dataset(valid, label=label)
    except StoreFull as exc:
        st.error(f"Not saved: {exc}.")
        return False
    st.session_state.setdefault(UNDO, []).append(st.session_state.get(DATA_ID, ""))
    use_dataset(new_id)
    return True


import_tab, edit_tab, export_tab, tables_tab = st.tabs(["Import", "Edit", "Export", "Tables"])

with import_tab:
    st.markdown(
        "Upload a **CSV** (comma, semicolon or tab; UTF-8, UTF-16, Windows-1251 or -1252), the "
        "visible sheet of an **XLSX** workbook, or a **zip** of a data package. Two shapes are "
        "understood: *long*, a table shaped like `positions.csv` (country, issue, date, "
        "date_precision, stance, confidence, summary, source, locator), and *wide*, one row per "
        "country and one column per issue holding stance labels or scores from -2 to +2. "
        "Countries may be ISO3 codes or names in any common spelling. Limits: "
        f"{MAX_UPLOAD_MB} MB, {MAX_ROWS:,} rows, {MAX_COLUMNS:,} columns, and "
        f"{IMPORT_SECONDS} seconds to read and check the file."
    )
    upload = st.file_uploader(
        "File to import", type=["csv", "tsv", "txt", "xlsx", "zip"], key="upload",
        max_upload_size=MAX_UPLOAD_MB,
    )  # fmt: skip
    c1, c2 = st.columns(2)
    as_of = c1.date_input(
        "Date of a wide matrix without an as_of column", value=dt.date.today(),
        key="import_as_of", format="YYYY-MM-DD",
    )  # fmt: skip
    add_unknown = c2.checkbox(
        "Add issues the codebook does not know (scores become stances)", key="add_unknown",
        help="Otherwise an unknown issue column is reported as a problem.",
    )  # fmt: skip
    merge = c2.checkbox(
        "Add the file's observations to the data you have, instead of replacing them",
        key="merge", help="An observation that is already there (same country, issue and date) "
        "is reported as a repeat.",
    )  # fmt: skip
    if st.session_state.pop(CANCELLED, False):
        st.info("The import was cancelled. Your data is unchanged.", icon=":material/close:")
    if upload is not None and st.button("Import", type="primary", key="do_import"):
        result = import_with_progress(upload.name, upload.getvalue(), ds, as_of, add_unknown, merge)
        if result.problems:
            show_problems(result.problems, upload.name)
        elif save(result.dataset, f"imported from {upload.name}"):
            st.session_state["import_note"] = (
                f"Imported {upload.name}: {len(result.dataset.positions):,} observations. "
                + (f"Countries added: {', '.join(result.added.countries)}. "
                   if result.added.countries else "")
                + (f"Issues added: {', '.join(result.added.issues)}." if result.added.issues
                   else "")
            )  # fmt: skip
            st.rerun()
    if note := st.session_state.pop("import_note", None):
        st.success(md_escape(note))

with edit_tab:
    st.caption(
        "Edit observations, add rows or delete them, then apply: the edit is checked by the "
        "same rules as an import and applied only if it passes."
    )
    tables = cached_base_tables(ds.fingerprint, ds)
    edited = st.data_editor(
        tables["positions"], num_rows="dynamic", hide_index=True, key="editor",
        width="stretch", height=400,
    )  # fmt: skip
    b1, b2, b3 = st.columns(3)
    if b1.button("Apply edits", type="primary", key="apply_edits"):
        before = tables["positions"]
        tables["positions"] = edited.fillna("").astype(str)
        # an observation edited or deleted loses its further sources: they backed the old text
        keep_sources_of_unchanged_observations(tables, before)
        result = load_tables(tables)
        if result.problems:
            show_problems(result.problems, "Your edit")
        elif save(result.dataset, "edited in the browser"):
            st.rerun()
    undo = st.session_state.get(UNDO, [])
    if b2.button("Undo the last change", key="undo", disabled=not undo):
        use_dataset(undo.pop() or None)
        st.rerun()
    if b3.button("Reset to the bundled data", key="reset", disabled=not imported):
        st.session_state[UNDO] = []
        use_dataset(None)
        st.rerun()
    if imported:
        st.header("Changes against the bundled data", anchor=False)
        bundled = configured_dataset()
        mine = cached_base_tables(ds.fingerprint, ds)["positions"]
        theirs = cached_base_tables(bundled.fingerprint, bundled)["positions"]
        key = ["country", "issue", "date"]
        both = mine.merge(theirs, on=key, how="outer", suffixes=("", "_bundled"), indicator=True)
        added = both[both["_merge"] == "left_only"]
        removed = both[both["_merge"] == "right_only"]
        common = both[both["_merge"] == "both"]
        rest = [c for c in mine.columns if c not in key]
        changed = common[
            pd.concat([common[c] != common[f"{c}_bundled"] for c in rest], axis=1).any(axis=1)
        ]
        st.markdown(
            f"**{len(added):,} added, {len(changed):,} changed, {len(removed):,} removed** rows "
            "of positions."
        )
        diff = pd.concat(
            [added.assign(change="added"), changed.assign(change="changed"),
             removed.assign(change="removed")]
        )[["change", *key, "stance", "stance_bundled", "summary"]]  # fmt: skip
        st.dataframe(diff.head(SHOWN_PROBLEMS), hide_index=True, width="stretch")

with export_tab:
    st.caption(
        "Downloads of the dataset you are looking at, made when you click. In CSV and XLSX files, "
        "a line of a cell that starts with = + - @ or a tab is prefixed with an apostrophe so "
        "that a spreadsheet cannot run it as a formula (plain numbers such as -2 are left alone; "
        "importing the file back removes the apostrophe). In the XLSX file scores are numbers "
        "and dates are dates. Every chart carries its source under its title."
    )
    st.radio(
        "Chart images download from each chart's toolbar as", IMAGE_FORMATS, key=IMAGE_FORMAT,
        horizontal=True, format_func=str.upper,
    )  # fmt: skip
    # Each file is built only when its button is clicked (a callable, run on a separate thread
    # without Streamlit commands): building the XLSX of a large dataset takes seconds.
    stamp = f"{dt.date.today():%Y-%m-%d}"
    note = f"Exported {stamp} from {current_label()}."
    e1, e2, e3 = st.columns(3)
    e1.download_button(
        "Positions as CSV", lambda: csv_bytes(base_tables(ds)["positions"]),
        file_name=f"positions-{stamp}.csv", mime="text/csv", key="export_csv",
        on_click="ignore",
    )  # fmt: skip
    e2.download_button(
        "All tables as XLSX", lambda: xlsx_bytes(base_tables(ds)),
        file_name=f"central-asia-war-{stamp}.xlsx", key="export_xlsx", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
    e3.download_button(
        "Data package (zip)", lambda: package_zip(base_tables(ds), note=note),
        file_name=f"central-asia-war-package-{stamp}.zip", mime="application/zip",
        key="export_zip", on_click="ignore",
    )  # fmt: skip

with tables_tab:
    for name in ("positions", *(t for t in TABLES if t != "positions")):
        frame = getattr(ds, name)
        st.header(f"{name} ({len(frame):,} rows)", anchor=False)
        st.dataframe(frame, hide_index=True, width="stretch", height=260)
