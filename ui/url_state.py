"""Keep a widget's value and a URL query parameter in step, for values shown by another name.

Streamlit's `bind="query-params"` writes a widget's *displayed* label into the URL. The link
contract needs codes (`countries=KAZ`, `issues=troop_request`, `cell=KAZ:troop_request`) while
the widgets show names, so these few parameters are synced here: the URL seeds the widget's
session value once, and every run writes the value back (dropping it when it is the default).
Everything else uses `bind="query-params"`.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st


def seed_list(state_key: str, param: str, valid: Sequence[str], default: Sequence[str],
              *, limit: int | None = None) -> None:  # fmt: skip
    """Give session_state[state_key] its first value: the URL's valid values, else the default."""
    if state_key in st.session_state:
        return
    known = set(valid)
    raw = st.query_params.get_all(param)
    values = [v for v in dict.fromkeys(raw) if v in known]
    if not values:
        values = [v for v in default if v in known]  # a default may name what the data lacks
    st.session_state[state_key] = values[:limit] if limit else values


def seed_value(state_key: str, param: str, valid: Sequence[str]) -> None:
    """Give session_state[state_key] the URL's value if it is valid, else None."""
    if state_key in st.session_state:
        return
    raw = st.query_params.get(param)
    st.session_state[state_key] = raw if raw in set(valid) else None


def publish(param: str, value: str | Sequence[str] | None, default=None) -> None:
    """Write a value to the URL, or remove the parameter when it is empty or the default."""
    if value is None or value == "" or (default is not None and list(value) == list(default)):
        if param in st.query_params:
            del st.query_params[param]
        return
    st.query_params[param] = value if isinstance(value, str) else list(value)


def keep_across_pages(keys: Sequence[str]) -> None:
    """Re-commit these widget values at the top of every run.

    A widget's value is dropped when the page that drew it is left, so without this a filter
    chosen on one page would be empty on the next. Re-assigning the value before any widget is
    drawn keeps it for whichever page draws a widget with that key next.
    """
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
