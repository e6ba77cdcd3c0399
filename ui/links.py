"""Deep links: a notice for link values that were ignored, and the link to the current view."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from core.model.dataset import Dataset
from ui.contract import PAGES, Vocabulary, link_pairs, problems_with

CURRENT_PAGE = "_page"
"""Session key where app.py notes the page being run (a name in ui.contract.PAGES)."""


def vocabulary(ds: Dataset) -> Vocabulary:
    """What a link to `ds` may name."""
    return Vocabulary(
        frozenset(ds.countries["iso3"]),
        frozenset(ds.issues["id"]),
        frozenset(ds.issues["category"]),
    )


def invalid_link_values(ds: Dataset, params: dict[str, list[str]]) -> list[str]:
    """Human-readable descriptions of query parameter values that name nothing in the data."""
    return problems_with(params, vocabulary(ds))


def notice_ignored_link_values(ds: Dataset) -> None:
    """Warn, once per page load, about link values the page had to ignore."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    problems = invalid_link_values(ds, params)
    if problems:
        st.warning(
            "Some values in the link were not recognised and were ignored: "
            + "; ".join(problems)
            + ".",
            icon=":material/link_off:",
        )


def view_link(pairs: list[tuple[str, str]]) -> str:
    """The URL of this page with the given (parameter, value) pairs."""
    base = (st.context.url or "").split("?")[0]
    if base.count("/") == 2:  # http://host:port: the first page's path is /
        base += "/"
    return f"{base}?{urlencode(pairs)}" if pairs else base


def current_link_pairs(ds: Dataset) -> list[tuple[str, str]]:
    """The link to the current page as it shows now (ui.contract decides which values)."""
    everything = {
        "countries": list(ds.countries["iso3"]),
        "issues": list(ds.issues["id"]),
        "categories": list(dict.fromkeys(ds.issues["category"])),
    }
    page = st.session_state.get(CURRENT_PAGE, PAGES[0].name)
    return link_pairs(page, dict(st.session_state), everything)


def share_box(ds: Dataset) -> None:
    """A popover with the link to exactly this view and a copy button."""
    with st.popover("Link to this view", icon=":material/link:"):
        st.caption("Copy this link to share exactly what you see (the copy icon is on the right).")
        st.code(view_link(current_link_pairs(ds)), language=None, wrap_lines=True)
