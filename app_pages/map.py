"""Map page: the states' positions on their own geography, as of a chosen date."""

import pandas as pd
import streamlit as st

from core.analysis.measures import WEIGHT_WORDS, alignment
from core.analysis.query import SCORED, format_date
from core.model.geo import DEFAULT_REGION, REGIONS, label_points, load_geometry
from core.serving.export import csv_bytes
from figures.map import build_map, index_values, issue_values
from ui.charts import show_chart
from ui.contract import INDEX, PARAM
from ui.downloads import download_view
from ui.evidence import choose_cell, evidence_section
from ui.filters import (
    BOUND,
    COUNTRIES,
    ISSUES,
    as_of_slider,
    country_picker,
    issue_picker,
    min_issues_choice,
    weight_choice,
)
from ui.links import notice_ignored_link_values, share_box
from ui.state import cached_cells, current_dataset, subset
from ui.url_state import publish, seed_list

SHOW, REGION = PARAM["show"].name, PARAM["region"].name

ds = current_dataset()
notice_ignored_link_values(ds)
st.title("Where each state stood, on the map")
st.caption(
    "Each state is coloured by its position on one issue, or by its alignment index over the "
    "issues you choose, from +2 (open distancing from Moscow, blue) to −2 (siding with Moscow, "
    "red). Its code and value are written on it; white with a dark outline means no evidence, "
    "grey means the issue does not concern it. Click a state's label to see the evidence."
)
labels = dict(zip(ds.issues["id"], ds.issues["label"], strict=True))
codes, ids = list(ds.countries["iso3"]), list(ds.issues["id"])
seed_list(COUNTRIES, COUNTRIES, codes, codes)
seed_list(ISSUES, ISSUES, ids, ids)
c1, c2, c3, c4 = st.columns([3, 2, 2, 2], vertical_alignment="bottom")
if st.session_state.get(SHOW) not in [INDEX, *labels]:
    wanted = st.query_params.get(SHOW)
    st.session_state[SHOW] = wanted if wanted in labels else INDEX
show = c1.selectbox(
    "Show",
    [INDEX, *labels],
    format_func=lambda v: "Alignment index (weighted mean score)" if v == INDEX else labels[v],
    key=SHOW,
)
publish(SHOW, show, default=INDEX)
with c2.popover(f"Countries · {len(st.session_state[COUNTRIES])} of {len(codes)}", width="stretch"):
    countries = country_picker(ds)
with c3.popover(f"Issues of the index · {len(st.session_state[ISSUES])}", width="stretch"):
    issues = issue_picker(ds)
with c4.popover("Index weights", width="stretch"):
    preset, weights = weight_choice(ds)
    min_scored = min_issues_choice(ds)
region = st.segmented_control(
    "Frame the map on", list(REGIONS), default=DEFAULT_REGION, key=REGION, bind=BOUND
)
region = region if region in REGIONS else DEFAULT_REGION


def _open_country_evidence(frame: pd.DataFrame) -> None:
    """On a click: open the evidence of the clicked state (its first scored issue shown, when
    the map shows the index)."""
    state = st.session_state.get("map")
    points = state.selection.points if state else []
    if not points or not points[0].get("customdata"):
        return
    country, issue = points[0]["customdata"][:2]
    if not issue:
        mine = frame[(frame["country"] == country) & (frame["state"] == SCORED)]
        issue = mine["issue"].iloc[0] if len(mine) else ""
    if issue:
        choose_cell(country, issue)


@st.fragment
def map_view() -> None:
    """Slider, map, table and evidence: moving the slider reruns only this part."""
    when = as_of_slider(ds)
    day = format_date(when, "day")
    everything = cached_cells(ds.fingerprint, when, ds)
    if not countries:
        st.info("Choose at least one country under Countries above.")
        return
    if show == INDEX:
        frame = subset(everything, countries, issues)
        if not issues:
            st.info("Choose at least one issue under Issues of the index above.")
            return
        values = index_values(alignment(frame, weights, min_scored))
        title = f"Alignment index as of {day} ({len(issues)} issues, {WEIGHT_WORDS[preset]})"
    else:
        frame = subset(everything, countries, [show])
        values = issue_values(frame)
        title = f"{labels[show]} as of {day}"
    fig = build_map(
        values, load_geometry(), label_points(), view=REGIONS[region], title=title,
        index=show == INDEX,
    )  # fmt: skip
    show_chart(
        fig,
        ds,
        shown=frame[frame["state"] == SCORED],
        key="map",
        on_select=lambda: _open_country_evidence(frame),
        filename=f"map-{show}-{when:%Y-%m-%d}",
        alt=(
            f"Map of {len(values)} states framed on {region}, coloured by "
            f"{'the alignment index' if show == INDEX else labels[show]} as of {day}; "
            "the same values are in the table below."
        ),
    )
    evidence_section(ds, when)
    st.header("The same, as a table", anchor=False)
    table = values.rename(
        columns={"country_name": "State", "country": "Code", "text": "On the map",
                 "words": "Position"}
    )[["State", "Code", "On the map", "Position"]]  # fmt: skip
    st.table(table.set_index("State"))
    st.download_button(
        "This table as CSV",
        lambda: csv_bytes(table),
        file_name=f"map-{show}-{when:%Y-%m-%d}.csv",
        mime="text/csv",
        key="map_csv",
    )
    share_box(ds)
    download_view(ds, frame, as_of=when)


map_view()
st.caption(
    "Borders: Natural Earth 1:50m and 1:110m (public domain), drawn as the United Nations "
    "recognises them: Crimea, Donetsk and Luhansk in Ukraine, Abkhazia and South Ossetia in "
    "Georgia, Transnistria in Moldova, Nagorno-Karabakh in Azerbaijan. Drawing a border is not a "
    "judgement on any claim. See About and method for the data's sources."
)
