"""Deep links: a notice for link values that were ignored, and the link to the current view."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import streamlit as st

from core.model.dataset import Dataset

CELL = "cell"


def _valid_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def invalid_link_values(ds: Dataset, params: dict[str, list[str]]) -> list[str]:
    """Human-readable descriptions of query parameter values that name nothing in the data."""
    countries = set(ds.countries["iso3"])
    issues = set(ds.issues["id"])
    problems = []
    for value in params.get("countries", []):
        if value and value not in countries:
            problems.append(f"country '{value}' (not an ISO3 code in the data)")
    for value in params.get("issues", []):
        if value and value not in issues:
            problems.append(f"issue '{value}' (no such issue id)")
    for key in ("as_of", "from", "to"):
        for value in params.get(key, []):
            if value and not _valid_date(value):
                problems.append(f"{key} '{value}' (dates are written YYYY-MM-DD)")
    for value in params.get("min_issues", []):
        if value and not (value.isdigit() and 1 <= int(value) <= max(len(issues), 1)):
            problems.append(
                f"min_issues '{value}' (a whole number of issues from 1 to {max(len(issues), 1)})"
            )
    for value in params.get("show", []):
        if value and value != "index" and value not in issues:
            problems.append(f"show '{value}' (an issue id, or index)")
    for value in params.get(CELL, []):
        country, _, issue = value.partition(":")
        if value and (country not in countries or issue not in issues):
            problems.append(f"cell '{value}' (expected ISO3:issue_id, e.g. KAZ:troop_request)")
    return problems


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


def view_link(params: dict[str, str | list[str]]) -> str:
    """The URL of this page with the given view state as query parameters."""
    base = st.context.url or ""
    pairs = []
    for key, value in params.items():
        values = value if isinstance(value, list) else [value]
        pairs += [(key, str(v)) for v in values if v not in (None, "")]
    return f"{base}?{urlencode(pairs)}" if pairs else base


def share_box(params: dict[str, str | list[str]]) -> None:
    """A popover with the link to exactly this view and a copy button."""
    with st.popover("Link to this view", icon=":material/link:"):
        st.caption("Copy this link to share exactly what you see (the copy icon is on the right).")
        st.code(view_link(params), language=None, wrap_lines=True)
