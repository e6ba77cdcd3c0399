"""Run an import in its worker while the page shows how long it has run and offers Cancel."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core.ingest.importing import ImportResult
from core.ingest.read import MB
from core.ingest.sandbox import ImportJob
from core.model.dataset import Dataset

PROGRESS_SECONDS = 0.25
"""How often the progress bar is redrawn while a file is read."""
CANCELLED = "import_cancelled"


def _cancel() -> None:
    st.session_state[CANCELLED] = True


def import_with_progress(
    name: str,
    raw: bytes,
    base: Dataset,
    as_of: dt.date | None,
    add_unknown: bool,
    merge: bool,
) -> ImportResult:
    """The import's result. While the worker reads the file,
    the page shows a progress bar of the time used against the limit and a Cancel button. Any
    click (Cancel included) stops this run; the `finally` then stops the worker."""
    job = ImportJob(name, raw, base, as_of=as_of, add_unknown=add_unknown, merge=merge)
    limit = job.limits.seconds
    size = len(raw) / MB
    slot = st.empty()
    with slot.container(key="import_progress"):
        bar = st.progress(0.0, text=f"Reading {name} ({size:.1f} MB)…")
        st.button("Cancel import", key="cancel_import", on_click=_cancel, icon=":material/close:")
    try:
        while (result := job.poll(PROGRESS_SECONDS)) is None:
            bar.progress(
                min(job.elapsed / limit, 1.0),
                text=f"Reading {name} ({size:.1f} MB): {job.elapsed:.0f} s; an import may take "
                f"up to {limit:.0f} s.",
            )
        return result
    finally:
        job.cancel()
        slot.empty()
