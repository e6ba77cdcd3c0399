"""What changed between two dates, cell by cell, with the evidence for each change."""

import datetime as dt

import pandas as pd
import streamlit as st

from core.analysis.measures import changes
from core.analysis.query import date_bounds, format_date
from core.model.vocabulary import signed_score
from figures.stance_table import cell_text
from ui.downloads import download_view
from ui.evidence import evidence_section
from ui.filters import country_picker, date_input, issue_picker
from ui.links import notice_ignored_link_values, share_box
from ui.state import current_dataset

INVASION = dt.date(2022, 2, 24)

ds = current_dataset()
notice_ignored_link_values(ds)
first, last = date_bounds(ds)
st.title("What changed between two dates")
st.caption(
    "Every cell whose stance or state differs between the two dates, with the observation that "
    "changed it. By default, from the day of the invasion to the latest date in the data."
)
c1, c2, c3, c4 = st.columns(4)
with c1:
    start = date_input("From", "from", INVASION, ds)
with c2:
    end = date_input("To", "to", last.date(), ds)
with c3.popover("Countries", width="stretch"):
    countries = country_picker(ds)
with c4.popover("Issues", width="stretch"):
    issues = issue_picker(ds)
if start > end:
    st.warning("'From' was later than 'To'; the two dates have been swapped.")
    start, end = end, start

moved = changes(ds, start, end, countries, issues)
toward = int((moved["delta"] > 0).sum())
away = int((moved["delta"] < 0).sum())
fresh = int(moved["score_before"].isna().sum())
st.markdown(
    f"**{len(moved)} cells changed** between {format_date(start, 'day')} and "
    f"{format_date(end, 'day')}: {fresh} gained their first evidence, {toward} moved away from "
    f"Moscow's line and {away} moved toward it."
)
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
        "Change": moved["delta"].map(lambda d: "" if pd.isna(d) else signed_score(d)),
        "Dated": [format_date(d, p) for d, p in zip(moved["date"], moved["date_precision"],
                                                     strict=True)],
        "Evidence": moved["summary"],
        "Locator": moved["locator"],
        "Cell link": [f"?cell={c}:{i}" for c, i in zip(moved["country"], moved["issue"],
                                                         strict=True)],
    }
)  # fmt: skip
st.dataframe(table, hide_index=True, width="stretch", height=min(38 * (len(table) + 1), 720))
evidence_section(ds, end)
share_box(ds)
download_view(ds, moved, period=(start, end))
