"""What changed between two dates, cell by cell: a chart of the moves, a table whose rows open
their evidence, and the evidence."""

import hashlib

import pandas as pd
import streamlit as st

from core.analysis.measures import changes
from core.analysis.query import (
    INVASION_EVENT,
    date_bounds,
    event_date,
    format_date,
    un_vote_issues,
)
from core.model.vocabulary import signed_score
from figures.changes import build_changes
from figures.stance_table import cell_text
from ui.charts import show_chart
from ui.contract import PARAM
from ui.downloads import download_view
from ui.evidence import evidence_section
from ui.filters import country_picker, date_input, issue_picker
from ui.links import notice_ignored_link_values, share_box
from ui.state import current_dataset

UN_VOTES = PARAM["un_votes"].name
CELL = PARAM["cell"].name
# the table and row whose evidence was last opened, so that a row still selected does not take
# the evidence back from a cell chosen since in "Evidence for"
PICKED = "changes_row_opened"

ds = current_dataset()
notice_ignored_link_values(ds)
first, last = date_bounds(ds)
invasion = event_date(ds, INVASION_EVENT)
st.title("What changed between two dates")
st.caption(
    "Every cell whose stance or state differs between the two dates: a chart of where each one "
    "started and where it ended, then a table with the observation that changed it. Select a "
    "row to see its evidence. By default, from the day of the invasion to the latest "
    "date in the data."
)
c1, c2, c3, c4, c5 = st.columns([2, 2, 2, 2, 3], vertical_alignment="bottom")
with c1:
    start = date_input("From", "from", (invasion or first).date(), ds)
with c2:
    end = date_input("To", "to", last.date(), ds)
with c3.popover("Countries", width="stretch"):
    countries = country_picker(ds)
with c4.popover("Issues", width="stretch"):
    issues = issue_picker(ds)
with c5:
    with_votes = st.toggle(
        "Include UN votes",
        value=False,
        key=UN_VOTES,
        bind="query-params",
        help="Each UN General Assembly vote changes one cell per country on one day; off, the "
        "list keeps the moves governments made on their own.",
    )
if start > end:
    st.warning("'From' was later than 'To'; the two dates have been swapped.")
    start, end = end, start

votes = set(un_vote_issues(ds))
everything = changes(ds, start, end, countries, issues)
moved = (everything if with_votes else everything[~everything["issue"].isin(votes)]).reset_index(
    drop=True
)
hidden = len(everything) - len(moved)
started = moved["score_start"]
away = int((moved["score"] > started).sum())
toward = int((moved["score"] < started).sum())
fresh = int(moved["score_before"].isna().sum())
span = f"from {format_date(start, 'day')} to {format_date(end, 'day')}"
st.markdown(
    f"**{len(moved)} cells changed** {span}; {fresh} of them had no evidence at the start. "
    f"From its first score in the period, {away} ended further from Moscow's line and "
    f"{toward} closer to it; the others ended where they started."
    + (f" {hidden} changed UN-vote cells are left out (*Include UN votes*)." if hidden else "")
)
if len(moved):
    show_chart(
        build_changes(moved, title=f"Where each changed cell started and ended, {span}"),
        ds,
        key="changes_chart",
        filename=f"changes-{start.date()}-{end.date()}",
        alt=f"Dumbbell chart by country of the {len(moved)} cells that changed {span}: "
        "a line from each cell's first score in the period to its score at the end.",
        shown=moved,
    )
cells = [f"{c}:{i}" for c, i in zip(moved["country"], moved["issue"], strict=True)]
before_text = moved.assign(
    state=moved["state_before"], label=moved["label_before"], score=moved["score_before"]
).apply(cell_text, axis=1) if len(moved) else pd.Series(dtype=str)  # fmt: skip
table = pd.DataFrame(
    {
        "Country": moved["country_name"],
        "Issue": moved["issue_label"],
        "Before": before_text,
        "After": moved.apply(cell_text, axis=1) if len(moved) else pd.Series(dtype=str),
        "Path": moved["path"],
        # the move the chart draws: from the cell's first score in the period to its last
        "Change": (moved["score"] - started).map(lambda d: "" if pd.isna(d) or d == 0
                                                 else signed_score(d)),
        "Dated": [format_date(d, p) for d, p in zip(moved["date"], moved["date_precision"],
                                                     strict=True)],
        "Evidence": moved["summary"],
        "Locator": moved["locator"],
        "Cell link": [f"?cell={c}" for c in cells],
    }
)  # fmt: skip
# keyed by its rows, so that a selection never outlives the table it was made in
table_key = "changes_rows_" + hashlib.sha256("\n".join(cells).encode()).hexdigest()[:12]
picked = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=min(38 * (len(table) + 1), 720),
    key=table_key,
    on_select="rerun",
    selection_mode="single-row",
)
rows = picked.selection.rows
if not rows:
    st.session_state[PICKED] = None
elif st.session_state.get(PICKED) != (table_key, rows[0]) and rows[0] < len(cells):
    st.session_state[PICKED] = (table_key, rows[0])
    st.session_state[CELL] = cells[rows[0]]
evidence_section(ds, end)
share_box(ds)
download_view(ds, moved, period=(start, end))
