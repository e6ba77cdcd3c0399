"""The dataset a page works on, loaded once per server process, and cached queries on it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.analysis.measures import alignment_over_time
from core.analysis.query import cell_history, cells, effective_date, observations
from core.ingest.conform import base_tables
from core.ingest.package import LoadResult, load_package
from core.model.dataset import Dataset
from core.model.problems import problems_frame
from core.model.provenance import source_line
from core.serving.preflight import Check, run_checks
from core.serving.rooms import Rooms
from core.serving.rooms import connect as connect_rooms
from core.serving.store import BaseStore, DamagedDataset
from core.serving.store import connect as connect_store
from core.serving.story import Story, load_story
from core.settings import (
    DATA_DIR,
    DATABASE_POOL_SIZE,
    DATABASE_URL,
    DATASET_CACHE_ENTRIES,
    DATASET_TTL_DAYS,
    STORE_DIR,
    STORE_MAX_MB,
    VIEW_CACHE_ENTRIES,
    VIEW_CACHE_TTL_SECONDS,
)
from ui.contract import DATA_STATE_KEY, PARAM


@st.cache_resource(show_spinner=False)
def _configured() -> LoadResult:
    """The package in DATA_DIR (the bundled data unless DASHBOARD_DATA_DIR says otherwise)."""
    return load_package(DATA_DIR)


DATA_PARAM = PARAM["data"].name
DATA_ID = DATA_STATE_KEY
TOUCHED_ID = "data_touched"
"""The stored dataset this session has marked as used (see `current_dataset`)."""


@st.cache_resource(show_spinner=False)
def dataset_store() -> BaseStore:
    """The store of imported and edited datasets (see core.serving.store): PostgreSQL when
    DASHBOARD_DATABASE_URL is set, else the SQLite file in STORE_DIR."""
    return connect_store(
        DATABASE_URL, STORE_DIR / "datasets.sqlite", ttl_days=DATASET_TTL_DAYS,
        max_bytes=STORE_MAX_MB * 1024 * 1024, pool_size=DATABASE_POOL_SIZE,
    )  # fmt: skip


@st.cache_resource(max_entries=DATASET_CACHE_ENTRIES, show_spinner=False)
def stored_dataset(dataset_id: str) -> tuple[Dataset | None, str]:
    """An imported dataset and its label by id, as validated when it was saved; (None, "") when
    the id is unknown or expired. Raises DamagedDataset (not cached) if it was damaged."""
    return dataset_store().open(dataset_id) or (None, "")


def use_dataset(dataset_id: str | None) -> None:
    """Show the stored dataset `dataset_id` in this session from now on (None: the bundled)."""
    st.session_state[DATA_ID] = dataset_id or ""
    if dataset_id:
        st.query_params[DATA_PARAM] = dataset_id
    elif DATA_PARAM in st.query_params:
        del st.query_params[DATA_PARAM]


def current_label() -> str:
    """What this session is looking at, in words."""
    dataset_id = st.session_state.get(DATA_ID)
    if not dataset_id:
        return "the bundled data"
    return stored_dataset(dataset_id)[1] or "an imported dataset"


def current_dataset() -> Dataset:
    """The dataset this session is looking at: its imported one (`?data=<id>`) if it has one,
    else the configured package; stops the page with a plain report if that is invalid."""
    if DATA_ID not in st.session_state:
        st.session_state[DATA_ID] = st.query_params.get(DATA_PARAM, "")
    dataset_id = st.session_state[DATA_ID]
    if dataset_id:
        try:
            imported, _ = stored_dataset(dataset_id)
        except DamagedDataset as exc:
            use_dataset(None)
            st.error(f"The dataset in this link cannot be shown: {exc}. Showing the bundled data.")
            return configured_dataset()
        if imported is not None and not _touched(dataset_id):
            stored_dataset.clear(dataset_id)  # deleted from the store meanwhile: forget it too
            imported = None
        if imported is not None:
            st.query_params[DATA_PARAM] = dataset_id  # keep it in the link on every page
            return imported
        use_dataset(None)
        st.warning(
            "The dataset in this link has expired or does not exist; showing the bundled data.",
            icon=":material/history:",
        )
    return configured_dataset()


def _touched(dataset_id: str) -> bool:
    """Mark a stored dataset as used once per session that opens it (`stored_dataset` is cached,
    so the store does not see the opens it serves): a dataset opened daily stays alive. Says
    whether the dataset is still in the store."""
    if st.session_state.get(TOUCHED_ID) == dataset_id:
        return True
    if not dataset_store().touch(dataset_id):
        return False
    st.session_state[TOUCHED_ID] = dataset_id
    return True


def configured_dataset() -> Dataset:
    """The package in DATA_DIR; stops the page with a plain report if it is invalid."""
    result = _configured()
    if result.dataset is None:
        st.error(
            f"The data in {DATA_DIR} breaks {len(result.problems)} rule(s) and cannot be shown. "
            "Each problem is listed below with its file, row, column, value and rule."
        )
        st.dataframe(problems_frame(result.problems), hide_index=True, width="stretch")
        st.stop()
    return result.dataset


def cached_cells(fingerprint: str, when: pd.Timestamp, ds: Dataset) -> pd.DataFrame:
    """core.analysis.query.cells for the whole dataset at `when`, cached per dataset and by the last
    observation date on or before `when` (all dates in between give the same cells)."""
    return _cells_at(fingerprint, effective_date(ds, when), ds)


@st.cache_data(max_entries=VIEW_CACHE_ENTRIES, ttl=VIEW_CACHE_TTL_SECONDS, show_spinner=False)
def _cells_at(fingerprint: str, effective: pd.Timestamp, _ds: Dataset) -> pd.DataFrame:
    return cells(_ds, effective)


@st.cache_data(max_entries=DATASET_CACHE_ENTRIES, ttl=VIEW_CACHE_TTL_SECONDS, show_spinner=False)
def cached_observations(fingerprint: str, _ds: Dataset) -> pd.DataFrame:
    """Every observation with stance, country name, issue label and category joined."""
    obs = observations(_ds)
    names = _ds.countries.set_index("iso3")["name"]
    meta = _ds.issues.set_index("id")
    obs["country_name"] = obs["country"].map(names)
    obs["issue_label"] = obs["issue"].map(meta["label"])
    obs["category"] = obs["issue"].map(meta["category"])
    return obs


def subset(frame: pd.DataFrame, countries: list[str], issues: list[str]) -> pd.DataFrame:
    """Rows of a cells frame for the chosen countries and issues."""
    return frame[frame["country"].isin(countries) & frame["issue"].isin(issues)]


@st.cache_data(max_entries=VIEW_CACHE_ENTRIES, ttl=VIEW_CACHE_TTL_SECONDS, show_spinner=False)
def cached_history(fingerprint: str, country: str, issue: str, _ds: Dataset) -> pd.DataFrame:
    """core.analysis.query.cell_history, cached per dataset and cell."""
    return cell_history(_ds, country, issue)


@st.cache_resource(max_entries=DATASET_CACHE_ENTRIES, show_spinner=False)
def _story(fingerprint: str, _ds: Dataset) -> Story:
    return load_story(DATA_DIR, _ds)


def current_story(ds: Dataset) -> Story:
    """The presenter's story for this dataset, loaded once per server process."""
    return _story(ds.fingerprint, ds)


@st.cache_resource(show_spinner=False)
def room_store() -> Rooms:
    """The rooms, shared by all sessions (each room apart from the others): in PostgreSQL,
    shared by every replica, when DASHBOARD_DATABASE_URL is set, else in this server's memory."""
    return connect_rooms(DATABASE_URL, pool_size=DATABASE_POOL_SIZE)


@st.cache_data(max_entries=VIEW_CACHE_ENTRIES, ttl=VIEW_CACHE_TTL_SECONDS, show_spinner=False)
def cached_alignment_over_time(
    fingerprint: str, country: str, weights: pd.Series, _ds: Dataset
) -> pd.DataFrame:
    """core.analysis.measures.alignment_over_time, cached per dataset, country and weights."""
    return alignment_over_time(_ds, country, weights)


@st.cache_data(max_entries=DATASET_CACHE_ENTRIES, ttl=300, show_spinner=False)
def cached_preflight(fingerprint: str) -> list[Check]:
    """The preflight checks, re-run at most every five minutes rather than on every step."""
    return run_checks()


@st.cache_data(max_entries=VIEW_CACHE_ENTRIES, ttl=VIEW_CACHE_TTL_SECONDS, show_spinner=False)
def cached_base_tables(fingerprint: str, _ds: Dataset) -> dict[str, pd.DataFrame]:
    """core.ingest.conform.base_tables, per dataset: the Your data page showed them by making
    them again on every run (12% of the server's time with 50 explorers). A copy each call, so
    the page may change what it gets."""
    return base_tables(_ds)


@st.cache_data(max_entries=VIEW_CACHE_ENTRIES, ttl=VIEW_CACHE_TTL_SECONDS, show_spinner=False)
def cached_source_line(fingerprint: str, shown: pd.DataFrame | None, _ds: Dataset) -> str:
    """core.model.provenance.source_line of the observations `shown` (None: the whole dataset),
    cached per dataset and the frame's content."""
    return source_line(_ds, shown)
