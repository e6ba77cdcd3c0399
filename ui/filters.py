"""Shared controls whose values live in the URL, so that a link restores the view.

Each widget is bound to a query parameter named by its key (the deep-link contract in the
README): countries, issues, categories, as_of, cell, sort, weights, min_issues, from, to.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core.analysis.measures import MIN_SCORED_ISSUES, WEIGHT_PRESETS, issue_weights
from core.analysis.query import (
    change_dates,
    date_bounds,
    format_date,
    key_dates,
    latest_on_or_before,
)
from core.model.dataset import Dataset
from core.model.groups import GROUPS, group_members
from figures.timeline import DEFAULT_PERIOD, PERIODS
from ui.contract import PARAM, SORTS, WEIGHT_PREFIX
from ui.url_state import publish, seed_list

# Widget keys are the parameters' names in the contract (a KeyError here if one is renamed).
COUNTRIES, ISSUES, CATEGORIES, AS_OF, SORT, WEIGHTS, MIN_ISSUES, PERIOD = (
    PARAM[name].name
    for name in ("countries", "issues", "categories", "as_of", "sort", "weights", "min_issues",
                 "period")
)  # fmt: skip
BOUND = "query-params"


def _country_names(ds: Dataset) -> dict[str, str]:
    return dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))


def _set_countries(state_key: str, members: list[str]) -> None:
    st.session_state[state_key] = members


def country_picker(
    ds: Dataset,
    *,
    state_key: str = COUNTRIES,
    default: list[str] | None = None,
    max_selections: int | None = None,
    groups: list[str] = GROUPS,
) -> list[str]:
    """Group buttons and a multiselect of countries, in step with the `countries` parameter."""
    names = _country_names(ds)
    codes = list(names)
    default = codes if default is None else [c for c in default if c in names]
    seed_list(state_key, COUNTRIES, codes, default, limit=max_selections)
    cols = st.columns(len(groups))
    for col, group in zip(cols, groups, strict=True):
        members = group_members(ds, group)[:max_selections]
        col.button(
            group,
            key=f"{state_key}-group-{group}",
            on_click=_set_countries,
            args=(state_key, members),
            width="stretch",
            help=", ".join(names[c] for c in members),
        )
    chosen = st.multiselect(
        "Countries",
        options=codes,
        format_func=names.get,
        key=state_key,
        max_selections=max_selections,
        help="Pick any countries (a custom group), or use a group button above.",
    )
    order = {c: i for i, c in enumerate(codes)}
    chosen = sorted(chosen, key=order.get)
    publish(COUNTRIES, chosen, default)
    return chosen


def issue_picker(ds: Dataset) -> list[str]:
    """Categories (bound to `categories`) and issues (in step with `issues`), display order."""
    categories = list(dict.fromkeys(ds.issues["category"]))
    labels = dict(zip(ds.issues["id"], ds.issues["label"], strict=True))
    chosen_categories = st.pills(
        "Categories",
        options=categories,
        default=categories,
        selection_mode="multi",
        key=CATEGORIES,
        bind=BOUND,
    )
    seed_list(ISSUES, ISSUES, list(labels), list(labels))
    chosen = st.multiselect(
        "Issues",
        options=list(labels),
        format_func=labels.get,
        key=ISSUES,
        help="An issue is shown when both it and its category are selected.",
    )
    publish(ISSUES, [i for i in labels if i in chosen], list(labels))
    keep = ds.issues["category"].isin(chosen_categories) & ds.issues["id"].isin(chosen)
    return list(ds.issues.loc[keep, "id"])


FROM_MARGIN = dt.timedelta(days=30)
"""How far before the first observation a date picker reaches, so a period can start earlier."""


def clamp_date(value: dt.date, low: dt.date, high: dt.date) -> dt.date:
    """`value` moved into `low`..`high`: the nearest end when it lies outside."""
    return min(max(value, low), high)


def _link_date(key: str) -> dt.date | None:
    """The date the link gives for `key`, or None when it gives none or not a date."""
    try:
        return dt.date.fromisoformat(st.query_params.get(key, ""))
    except ValueError:
        return None


def keep_date_in_range(key: str, low: dt.date, high: dt.date) -> None:
    """Move the date widget `key`'s value into `low`..`high` before the widget is drawn.

    Its value may come from another dataset (a bound widget keeps it across pages) or from a
    link, and Streamlit refuses a value outside the widget's range: a slider raises, and a
    link's date is dropped for the default. The nearest date in range is shown instead.
    """
    current = st.session_state.get(key)
    if isinstance(current, dt.datetime):
        current = current.date()
    if not isinstance(current, dt.date):
        current = _link_date(key)  # first drawn in this session: the link may give a date
        if current is None or low <= current <= high:
            return  # nothing to move; Streamlit reads an in-range link date itself
    clamped = clamp_date(current, low, high)
    if clamped != st.session_state.get(key):
        st.session_state[key] = clamped


TYPED, JUMP, SNAPPED, LINKED = "as_of_typed", "as_of_jump", "as_of_snapped", "as_of_linked"
"""Session keys of the As of control's typed date, its key-date menu, its note on a typed
date that was moved to the change date before it, and a link's date that is no change date."""


def _day(value: dt.date) -> str:
    return format_date(pd.Timestamp(value), "day")


def slider_stops(dates: list[dt.date], *extra: dt.date | None) -> list[dt.date]:
    """The As of slider's stops: the change dates, with the `extra` dates among them (a link's
    date opens at exactly that date), two at least as a slider has two ends."""
    stops = sorted({*dates, *(d for d in extra if d is not None)})
    return [stops[0] - dt.timedelta(days=1), *stops] if len(stops) == 1 else stops


def _go_to(value: dt.date | None, typed: dt.date | None = None) -> None:
    """Move the As of slider to `value` (a callback, so before the slider is drawn); a `typed`
    date that was moved to `value` is noted. The typed date and the key-date menu are emptied
    again: they act once, and the slider and the words under it say the date."""
    if value is not None:
        st.session_state[AS_OF] = value
        st.session_state[SNAPPED] = (typed, value) if typed and typed != value else None
    st.session_state[TYPED] = st.session_state[JUMP] = None


def _go_to_typed(dates: list[dt.date]) -> None:
    typed = st.session_state.get(TYPED)
    if typed is not None:
        stops = [pd.Timestamp(d) for d in dates]
        _go_to(latest_on_or_before(stops, pd.Timestamp(typed)).date(), typed)


def _sync(key: str, value: object) -> None:
    """Show `value` in the widget `key` drawn next; only when it differs, since setting a
    widget's value on every run would undo key presses sent while the page was running (so
    the typed date and the key-date menu do not follow the slider: that undid them too)."""
    if st.session_state.get(key, object()) != value:
        st.session_state[key] = value


def _as_of_note(value: dt.date, first: dt.date, last: dt.date, changes: set[dt.date]) -> str:
    """The As of control's words: the date shown and how it was reached."""
    snapped = st.session_state.get(SNAPPED)
    if snapped and snapped[1] == value:
        typed = snapped[0]
        if typed < first:
            return f"You typed {_day(typed)}, before the first date: this shows {_day(value)}."
        return (f"You typed {_day(typed)}: nothing changed that day, so this shows "
                f"{_day(value)}, the latest change on or before it.")  # fmt: skip
    if value == last:
        return f"Showing the latest date in the data, {_day(last)}."
    shown = f"Showing {_day(value)}"
    if value not in changes:
        shown += " (nothing changed that day: what was known on it)"
    return f"{shown}. The latest date in the data is {_day(last)} (End key)."


def _as_of_value(ds: Dataset) -> tuple[list[dt.date], list[dt.date]]:
    """The change dates and the As of control's stops, with session_state[AS_OF] set to the
    date to show: the session's, else the link's, else the latest, moved into range.

    A link's date that is no change date is shown as a stop of its own."""
    changes = [d.date() for d in change_dates(ds)]
    first, last = changes[0], changes[-1]
    current = st.session_state.get(AS_OF)
    if isinstance(current, dt.datetime):
        current = current.date()
    if not isinstance(current, dt.date):
        current = _link_date(AS_OF) or last
        if first <= current <= last and current not in changes:
            # kept as a stop for the session: stops that come and go would shift the slider's
            # positions under keys pressed while the page reruns
            st.session_state[LINKED] = current
    _sync(AS_OF, clamp_date(current, first, last))
    stops = slider_stops(changes, st.session_state[AS_OF], st.session_state.get(LINKED))
    return changes, stops


def _go_to_and_jump(ds: Dataset, changes: list[dt.date], c1, c2) -> None:
    """A typed date (in column `c1`) and a menu of key dates (in `c2`) that move As of."""
    first, last = changes[0], changes[-1]
    keys = {k.date.date(): k.label for k in key_dates(ds)}
    c1.date_input(
        "Go to a date",
        value=None,
        min_value=first.replace(year=first.year - 10, day=1),
        max_value=last.replace(year=last.year + 10, day=1),
        key=TYPED,
        format="YYYY-MM-DD",
        on_change=_go_to_typed,
        args=(changes,),
        help="Type any date, then press Tab or click elsewhere: the view goes to the latest "
        "date on or before it when something changed.",
    )
    c2.selectbox(
        "Jump to",
        options=list(keys),
        index=None,
        format_func=lambda d: f"{_day(d)} · {keys[d]}",
        key=JUMP,
        placeholder="A key date: the invasion, each UN vote",
        on_change=lambda: _go_to(st.session_state[JUMP]),
    )


def _note_and_publish(value: dt.date, changes: list[dt.date]) -> None:
    st.caption(_as_of_note(value, changes[0], changes[-1], set(changes)))  # dates only
    publish(AS_OF, value.isoformat(), default=changes[-1].isoformat())


def as_of_slider(ds: Dataset) -> pd.Timestamp:
    """The 'As of' slider over the dates when something changed, in step with `as_of`, with a
    typed date and a menu of key dates (the invasion, the UN votes) beside it.

    Each key moves one change date. Not bound with `bind="query-params"`, which writes a date
    that comes back on a page after a page switch as microseconds (`as_of=1647302400000000`):
    the link seeds the slider once, and every run writes the date back as YYYY-MM-DD (dropped
    at the latest date, the default)."""
    changes, stops = _as_of_value(ds)
    # one row, so that the control takes no more height than the one-day slider did
    c0, c1, c2 = st.columns([5, 2, 3], vertical_alignment="bottom")
    value = c0.select_slider(
        "As of",
        options=stops,
        format_func=_day,
        key=AS_OF,
        help="Show the latest position known on or before this date. The slider stops at each "
        f"date when something changed ({len(changes)} in all): arrow keys move one date, Home "
        "and End go to the first and the last.",
    )
    _go_to_and_jump(ds, changes, c1, c2)
    _note_and_publish(value, changes)
    return pd.Timestamp(value)


def as_of_jumps(ds: Dataset) -> tuple[pd.Timestamp, list[pd.Timestamp]]:
    """The As of control's typed date and key dates, and its words, for a page whose slider
    is drawn in the browser (ui.time_travel): the date to show and the slider's stops."""
    changes, stops = _as_of_value(ds)
    value = st.session_state[AS_OF]
    c1, c2, _ = st.columns([2, 3, 5], vertical_alignment="bottom")
    _go_to_and_jump(ds, changes, c1, c2)
    _note_and_publish(value, changes)
    return pd.Timestamp(value), [pd.Timestamp(d) for d in stops]


def go_to_date(value: str | None) -> None:
    """Move As of to `value` (YYYY-MM-DD, as the browser reports it), for a callback."""
    try:
        _go_to(dt.date.fromisoformat(value or ""))
    except ValueError:
        return


def sort_choice() -> str:
    """How to order the countries: by region (table order), alignment index or name."""
    return st.radio(
        "Sort countries by",
        options=list(SORTS),
        key=SORT,
        bind=BOUND,
        horizontal=True,
    )


def weight_choice(ds: Dataset) -> tuple[str, pd.Series]:
    """The alignment-index weighting preset (bound to `weights`) and the weights per issue."""
    label = st.selectbox(
        "Alignment index weights",
        options=list(WEIGHT_PRESETS.values()),
        key=WEIGHTS,
        bind=BOUND,
    )
    preset = next(k for k, v in WEIGHT_PRESETS.items() if v == label)
    custom = None
    if preset == "custom":
        custom = {}
        for category in dict.fromkeys(ds.issues["category"]):
            slug = WEIGHT_PREFIX + "".join(ch for ch in category.lower() if ch.isalnum())
            custom[category] = st.slider(category, 0.0, 3.0, 1.0, 0.5, key=slug, bind=BOUND)
    return preset, issue_weights(ds, preset, custom)


def min_issues_choice(ds: Dataset) -> int:
    """How many scored issues a country needs to be ranked by the alignment index."""
    return int(
        st.number_input(
            "Rank a country only if scored on at least this many issues",
            min_value=1,
            max_value=max(len(ds.issues), 1),
            value=min(MIN_SCORED_ISSUES, max(len(ds.issues), 1)),
            step=1,
            key=MIN_ISSUES,
            bind=BOUND,
            help="Countries scored on fewer issues are listed as 'too little evidence' "
            "under the alignment chart instead of being ranked.",
        )
    )


def picker_range(ds: Dataset) -> tuple[dt.date, dt.date]:
    """The ends of a date picker: a little before the first observation, to the last."""
    first, last = date_bounds(ds)
    return first.date() - FROM_MARGIN, last.date()


def date_input(label: str, key: str, default: dt.date, ds: Dataset) -> pd.Timestamp:
    """A date picker within the data's range, bound to the query parameter `key`; `default`
    and any date from elsewhere (the link, another dataset) are moved into that range."""
    first, last = picker_range(ds)
    keep_date_in_range(key, first, last)
    value = st.date_input(
        label,
        value=clamp_date(default, first, last),
        min_value=first,
        max_value=last,
        key=key,
        bind=BOUND,
        format="YYYY-MM-DD",
    )
    return pd.Timestamp(value)


def filter_bar(ds: Dataset) -> tuple[list[str], list[str], str, str, pd.Series, int]:
    """A row of popovers: countries, issues, sort, weights and the alignment index's minimum
    of scored issues. Returns their values."""
    codes, ids = list(ds.countries["iso3"]), list(ds.issues["id"])
    seed_list(COUNTRIES, COUNTRIES, codes, codes)
    seed_list(ISSUES, ISSUES, ids, ids)
    n_countries, n_issues = len(st.session_state[COUNTRIES]), len(st.session_state[ISSUES])
    c1, c2, c3 = st.columns(3)
    with c1.popover(f"Countries · {n_countries} of {len(ds.countries)}", width="stretch"):
        countries = country_picker(ds)
    with c2.popover(f"Issues · {n_issues} of {len(ds.issues)}", width="stretch"):
        issues = issue_picker(ds)
    with c3.popover("Sort and weights", width="stretch"):
        sort = sort_choice()
        preset, weights = weight_choice(ds)
        min_scored = min_issues_choice(ds)
    return countries, issues, sort, preset, weights, min_scored


def period_choice() -> str | None:
    """Which stretch of time the timeline shows, bound to `period`."""
    return st.segmented_control(
        "Period",
        list(PERIODS),
        default=DEFAULT_PERIOD,
        key=PERIOD,
        bind=BOUND,
        label_visibility="collapsed",
        help="Zoom the timeline to a period; drag on the chart to zoom further.",
    )
