"""Compare page: two to five countries side by side, where they agree and where they part."""

import streamlit as st

from core.analysis.measures import agreement, divergences, shared_counts
from core.analysis.query import format_date
from core.model.vocabulary import signed_score
from core.settings import COMPARE_MAX_COUNTRIES
from figures.agreement import build_agreement
from figures.stance_table import DIFFERS, stance_table, styled
from ui.charts import show_chart
from ui.downloads import download_view
from ui.filters import as_of_slider, country_picker, issue_picker
from ui.links import notice_ignored_link_values, share_box
from ui.state import cached_cells, current_dataset, subset
from ui.text import md_escape

DEFAULT = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]

ds = current_dataset()
notice_ignored_link_values(ds)
st.title("Compare countries")
st.caption(
    "Two to five countries side by side as of a date: their stances, how far they agree, and "
    "the issues on which they part ways, each with its evidence."
)
c1, c2 = st.columns(2)
with c1.popover("Countries (2 to 5)", width="stretch"):
    countries = country_picker(
        ds,
        state_key="compare_countries",
        default=DEFAULT,
        max_selections=COMPARE_MAX_COUNTRIES,
        groups=["Central Asia", "CSTO members", "EAEU members"],
    )
with c2.popover("Issues", width="stretch"):
    issues = issue_picker(ds)
when = as_of_slider(ds)
day = format_date(when, "day")
names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))

if len(countries) < 2:
    st.info("Choose at least two countries to compare.")
    st.stop()

frame = subset(cached_cells(ds.fingerprint, when, ds), countries, issues)
st.header(f"Stances as of {day}", anchor=False)
table = stance_table(frame, countries, issues)
st.caption(
    f"Rows in bold, marked ≠ in the '{DIFFERS}' column, are issues on which the scored "
    "countries took different stances, even of equal score. 'no evidence' and 'n/a' are not "
    "scores."
)
st.dataframe(
    styled(table),
    width="stretch",
    height=35 * (len(table) + 1) + 3,
    column_config={"_index": st.column_config.TextColumn("Issue", width="medium")},
)

st.header("Pairwise agreement", anchor=False)
st.caption(
    "Agreement over the issues scored for both countries: 1 for the same stance; otherwise "
    "1 − the score gap ÷ 4, counting two different stances of equal score as one step apart. So "
    "'did not vote' against 'abstain' is 0.75 and +2 against −2 is 0. Hover a cell for how many "
    "issues it rests on."
)
show_chart(
    build_agreement(
        agreement(frame, countries),
        shared_counts(frame, countries),
        names,
        title=f"Pairwise agreement as of {day}",
    ),
    ds,
    key="agreement",
    filename=f"agreement-{when:%Y-%m-%d}",
    alt=f"Heatmap of pairwise agreement between {len(countries)} countries as of {day}.",
)

st.header("Where they diverge", anchor=False)
diverge = divergences(frame, countries)
if diverge.empty:
    st.write("No scored issue separates these countries on this date.")
for row in diverge.itertuples(index=False):
    head = (
        f"**{md_escape(row.issue_label)}**: {md_escape(row.country_name_a)} "
        f"{md_escape(row.label_a)} ({signed_score(row.score_a)}) · {md_escape(row.country_name_b)} "
        f"{md_escape(row.label_b)} ({signed_score(row.score_b)}) · gap {int(row.gap)}"
    )
    with st.expander(head):
        st.markdown(f"**{md_escape(row.country_name_a)}**: {md_escape(row.summary_a)}")
        st.markdown(f"**{md_escape(row.country_name_b)}**: {md_escape(row.summary_b)}")
        st.caption(
            "Full citations: choose the cell under Evidence on the Matrix page, or follow "
            f"the link `?cell={row.country_a}:{row.issue}`."
        )
share_box(ds)
download_view(ds, frame, as_of=when)
