"""Timeline page: every observation over time, one swimlane per country, with context events."""

import streamlit as st

from core.analysis.query import date_bounds
from core.serving.view_export import observations_in
from core.settings import TIMELINE_MAX_LANES
from figures.timeline import build_timeline, period_range
from ui.charts import show_chart
from ui.downloads import download_view
from ui.evidence import evidence_section, select_cell_from_chart
from ui.filters import BOUND, country_picker, period_choice
from ui.links import notice_ignored_link_values, share_box
from ui.state import cached_observations, current_dataset

ds = current_dataset()
notice_ignored_link_values(ds)
st.title("Timeline: who moved when")
st.caption(
    "Each marker is one dated observation: colour is its score, shape its category. A hollow "
    "marker is an approximate date; a bar under it spans a date known only to the month. "
    "Dotted lines mark context events. Hover for the summary; click a marker, or choose its cell "
    "under Evidence for, to open its evidence; drag on the chart to zoom."
)
c1, c2, c3 = st.columns([1, 1, 1])
with c1.popover("Countries", width="stretch"):
    countries = country_picker(ds)
categories = list(dict.fromkeys(ds.issues["category"]))
with c2.popover("Categories", width="stretch"):
    chosen = st.pills(
        "Categories", categories, default=categories, selection_mode="multi",
        key="categories", bind=BOUND,
    )  # fmt: skip
with c3:
    period = period_choice()

first, last = date_bounds(ds)
span = period_range(period, first, last)
obs = cached_observations(ds.fingerprint, ds)
events = ds.events.copy()
if len(countries) > TIMELINE_MAX_LANES:
    st.info(
        f"The timeline draws {TIMELINE_MAX_LANES} countries at a time: showing the first "
        f"{TIMELINE_MAX_LANES} of {len(countries)}. Choose countries above to see others."
    )
    countries = countries[:TIMELINE_MAX_LANES]
evidence_section(ds, last)
if not countries or not chosen:
    st.info("Choose at least one country and one category.")
else:
    fig = build_timeline(
        obs,
        events,
        countries=countries,
        categories=[c for c in categories if c in chosen],
        date_range=span,
        title=f"Observations by country, {span[0]:%d %b %Y} to {span[1]:%d %b %Y}",
    )
    show_chart(
        fig,
        ds,
        key="timeline",
        on_select=select_cell_from_chart("timeline"),
        filename=f"timeline-{span[0]:%Y-%m-%d}-{span[1]:%Y-%m-%d}",
        alt=(
            f"Timeline of {len(countries)} countries' observations from "
            f"{span[0]:%d %b %Y} to {span[1]:%d %b %Y}, coloured by score and shaped by category."
        ),
    )
share_box(ds)
download_view(ds, observations_in(ds, obs, countries, chosen, span), period=span)
