"""The dataset a page works on, loaded once per server process and shared read-only."""

from __future__ import annotations

import streamlit as st

from core.dataset import Dataset, load_bundled


@st.cache_resource(show_spinner=False)
def bundled_dataset() -> Dataset:
    """The bundled, validated dataset; never modified after loading."""
    return load_bundled()


def current_dataset() -> Dataset:
    """The dataset this session is looking at."""
    return bundled_dataset()
