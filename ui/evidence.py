"""The evidence panel: every observation behind one cell, with its full citation."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from core.analysis.query import NO_EVIDENCE, NOT_APPLICABLE, cell_state, format_date
from core.model.dataset import Dataset
from core.model.provenance import source_citation
from core.model.vocabulary import STATE_NAMES, applies_to_words, stance_words
from ui.contract import PARAM
from ui.state import cached_history
from ui.text import md_escape
from ui.url_state import publish, seed_value

EVIDENCE_KEY = "evidence"
CELL_KEY = PARAM["cell"].name
PICKER_KEY, OPEN_KEY = "evidence_picker", "evidence_open"
SHOWN_KEY = "evidence_shown"
"""The cell whose evidence was last opened: another run opens a dialog only for a new one."""
PICKER_WIDTH = 320
DIALOG_WIDTH = 480
"""The drawer's first width in pixels: the matrix stays in sight beside it."""
SAFE_URL = re.compile(r"https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~/?=&%-]*)?")


def render_evidence(ds: Dataset, country: str, issue: str, when: pd.Timestamp) -> None:
    """Draw the panel for `country` x `issue` inside the container keyed 'evidence'."""
    names = ds.countries.set_index("iso3")["name"]
    meta = ds.issues.set_index("id")
    with st.container(key=EVIDENCE_KEY, border=True):
        if country not in names.index or issue not in meta.index:
            st.info(
                "Click a cell or a marker in a chart, or choose a cell above, to see its evidence."
            )
            return
        st.subheader(f"Evidence: {names[country]} · {meta.at[issue, 'label']}", anchor=False)
        st.caption(md_escape(meta.at[issue, "question"]))
        state = cell_state(ds, country, issue, when)
        history = cached_history(ds.fingerprint, country, issue, ds)
        if state == NOT_APPLICABLE:
            st.markdown(
                f"**{_said(NOT_APPLICABLE)}.** This issue concerns "
                f"{md_escape(applies_to_words(meta.at[issue, 'applies_to'], dict(names)))}."
            )
        elif state == NO_EVIDENCE and history.empty:
            st.markdown(
                f"**{_said(NO_EVIDENCE)}.** No observation of this cell is coded in the data."
            )
        elif state == NO_EVIDENCE:
            st.markdown(
                f"**{_said(NO_EVIDENCE)} as of {format_date(when, 'day')}.** "
                "The observations below come later."
            )
        for _, obs in history.iterrows():
            _observation(obs, current=obs["date"] <= when)


def _said(state: str) -> str:
    return STATE_NAMES[state].capitalize()


def _observation(obs: pd.Series, *, current: bool) -> None:
    when = format_date(obs["date"], obs["date_precision"])
    later = "" if current else " · after the as-of date"
    st.markdown(
        f"**{md_escape(when)}** · {md_escape(stance_words(obs['label'], obs['score']))} · "
        f"{md_escape(obs['confidence'])} confidence · date precision: "
        f"{md_escape(obs['date_precision'])}{later}"
    )
    st.markdown(md_escape(obs["summary"]))
    sources = [obs.to_dict(), *obs.get("further", [])]
    lines = [
        f"{md_escape(source_citation(pd.Series(s).drop(labels=['url'])))} "
        f"Locator: {md_escape(s['locator'])}.{_link(str(s.get('url', '')))}"
        for s in sources
    ]
    if len(lines) == 1:
        st.caption(f"Source: {lines[0]}")
    else:
        st.caption(
            f"Sources ({len(lines)}):\n" + "\n".join(f"{n}. {t}" for n, t in enumerate(lines, 1))
        )


def _link(url: str) -> str:
    """A Markdown link for a plain https address, or nothing for anything else."""
    if not SAFE_URL.fullmatch(url):
        return ""
    return f" [Open the source]({url})"


def cell_id(country: str, issue: str) -> str:
    """'KAZ:troop_request', the form a cell takes in the URL."""
    return f"{country}:{issue}"


def choose_cell(country: str, issue: str) -> None:
    """Open the evidence of `country` x `issue` on the next run (for a click's callback); set
    again to the cell already chosen, it opens again."""
    st.session_state[CELL_KEY] = cell_id(country, issue)
    st.session_state.pop(SHOWN_KEY, None)


def select_cell_from_chart(chart_key: str):
    """An on_select callback that opens the evidence of the clicked point's cell."""

    def callback() -> None:
        state = st.session_state.get(chart_key)
        points = state.selection.points if state else []
        if points and points[0].get("customdata"):
            choose_cell(*points[0]["customdata"][:2])

    return callback


def chosen_cell() -> tuple[str, str] | None:
    """The (country, issue) whose evidence is chosen, for marking it on a chart."""
    country, _, issue = str(st.session_state.get(CELL_KEY) or "").partition(":")
    return (country, issue) if country and issue else None


def evidence_section(ds: Dataset, when: pd.Timestamp, *, columns: list[str] | None = None) -> None:
    """A compact cell picker bound to the `cell` query parameter, and a button; a cell newly
    chosen (by a click, the picker, another page or a link) opens its evidence in a drawer, so
    it shows where the eye is, whatever the scroll position. Given the issues in the order a
    chart's `columns` show them, the drawer opens on the side away from the cell."""
    names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    labels = dict(zip(ds.issues["id"], ds.issues["label"], strict=True))
    options = [cell_id(c, i) for c in names for i in labels]

    def describe(value: str) -> str:
        country, _, issue = value.partition(":")
        return f"{names.get(country, country)} · {labels.get(issue, issue)}"

    seed_value(CELL_KEY, CELL_KEY, options)
    with st.container(key=PICKER_KEY, horizontal=True, vertical_alignment="bottom"):
        chosen = st.selectbox(
            "Evidence for",
            options=options,
            format_func=describe,
            key=CELL_KEY,
            placeholder="Click a cell, or choose one here",
            on_change=st.session_state.pop,
            args=(SHOWN_KEY, None),
            width=PICKER_WIDTH,
        )
        st.button(
            "Show evidence",
            key=OPEN_KEY,
            icon=":material/open_in_new:",
            disabled=not chosen,
            on_click=st.session_state.pop,
            args=(SHOWN_KEY, None),
            help="Open the evidence of the cell chosen here (also Enter in the list)",
        )
    publish(CELL_KEY, chosen)
    if chosen and st.session_state.get(SHOWN_KEY) != chosen:
        st.session_state[SHOWN_KEY] = chosen
        country, _, issue = chosen.partition(":")
        right = issue not in (columns or []) or columns.index(issue) < len(columns) / 2
        drawer = st.dialog("Evidence", width=DIALOG_WIDTH, position="right" if right else "left")
        drawer(render_evidence)(ds, country, issue, when)
