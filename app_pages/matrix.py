"""Matrix page: which state took which position on the war, as of a chosen date."""

import streamlit as st

from core.analysis.measures import WEIGHT_WORDS, alignment, ranking
from core.analysis.query import SCORED, format_date
from core.model.provenance import source_line
from figures.alignment import build_alignment
from figures.matrix import MAX_TEXT_COLUMNS, build_matrix
from ui.charts import chart_config, image_buttons_html
from ui.downloads import download_view
from ui.evidence import choose_cell, chosen_cell, evidence_section
from ui.filters import as_of_jumps, filter_bar, go_to_date
from ui.links import notice_ignored_link_values, share_box
from ui.stance_list import PHONE_WIDTH, show_stance_list
from ui.state import cached_cells, current_dataset, subset
from ui.text import md_escape
from ui.time_travel import (
    clicked_cell,
    moved_date,
    time_travel_alignment,
    time_travel_matrix,
    with_source,
)

ds = current_dataset()
notice_ignored_link_values(ds)
st.title("Who broke with Moscow, on what, and when")
st.caption(
    "Each cell is one country's position on one issue, coded from dated, cited evidence. "
    "Colour shows the score from +2 (open distancing from Moscow) to −2 (siding with Moscow); "
    f"with {MAX_TEXT_COLUMNS} issues or fewer, the text names the stance (with more, hover a "
    "cell). Click a cell, or choose one under Evidence for, to see the evidence behind it."
)
countries, issues, sort, preset, weights, min_scored = filter_bar(ds)


ROWS_PER_PAGE = 30


def page_of_rows(order: list[str]) -> list[str]:
    """The countries on the chosen page of the matrix, when there are too many for one."""
    if len(order) <= ROWS_PER_PAGE:
        return order
    pages = [order[i : i + ROWS_PER_PAGE] for i in range(0, len(order), ROWS_PER_PAGE)]
    labels = [f"{i * ROWS_PER_PAGE + 1}–{i * ROWS_PER_PAGE + len(p)}" for i, p in enumerate(pages)]
    chosen = st.segmented_control(
        f"Countries shown ({len(order)} in all, {ROWS_PER_PAGE} at a time, in the sort order)",
        labels, default=labels[0], key="rows", bind="query-params",
    )  # fmt: skip
    return pages[labels.index(chosen)] if chosen in labels else pages[0]


PHONE_CSS = (
    f"<style>@media (max-width: {PHONE_WIDTH - 0.02}px) {{.st-key-matrix .tt-plot, "
    ".st-key-matrix .chart-images {display: none !important;}}</style>"
)
TRAVEL_KEY = "matrix_time"  # the As of slider and matrix drawn in the browser (ui.time_travel)


def _moved() -> None:
    go_to_date(moved_date(TRAVEL_KEY))


def _clicked() -> None:
    clicked = clicked_cell(TRAVEL_KEY)
    if clicked:
        country, issue, date = clicked
        go_to_date(date)
        choose_cell(country, issue)


@st.fragment
def matrix_view() -> None:
    """Slider, matrix, evidence and alignment: the browser redraws the matrix as the slider
    moves, and the date it stops at reruns only this part."""
    when, stops = as_of_jumps(ds)
    day = format_date(when, "day")
    frame = subset(cached_cells(ds.fingerprint, when, ds), countries, issues)
    if not countries or not issues:
        st.info("Choose at least one country and one issue under Countries and Issues above.")
        return
    scores = alignment(frame, weights, min_scored)
    order = list(countries)
    if sort == "Alignment index":
        order = ranking(scores)
    elif sort == "Name":
        order = list(scores.sort_values("country_name")["country"])
    shown = page_of_rows(order)
    evidence_section(ds, when, columns=issues)
    heading = "Positions on Russia's war in Ukraine"
    title = f"{heading} as of {day}"
    fig = build_matrix(
        frame,
        countries=shown,
        issues=issues,
        title=title,
        marked=chosen_cell(),
    )
    cited = frame[frame["country"].isin(shown) & (frame["state"] == SCORED)]
    # on a phone the list below replaces the matrix, and the slider and Play stay
    st.html(PHONE_CSS)
    with st.container(key="matrix"):
        time_travel_matrix(
            ds,
            with_source(fig, ds, cited),
            stops=stops,
            value=when,
            countries=shown,
            issues=issues,
            title=heading,
            config=chart_config(f"matrix-{when:%Y-%m-%d}"),
            key=TRAVEL_KEY,
            on_date=_moved,
            on_cell=_clicked,
            alt=(
                f"Matrix of {len(shown)} countries by {len(issues)} issues as of {day}, "
                "coloured by score, with the stance written in each cell."
            ),
        )
        st.html(image_buttons_html("matrix", title), unsafe_allow_javascript=True)
    show_stance_list(frame, shown, issues, title=title)
    st.header("Alignment index", anchor=False)
    st.caption(
        "An interpretation, not a measurement: each country's weighted mean score over the "
        "selected issues it is scored on, from −2 (with Moscow) to +2 (distancing). The label on "
        "each bar says how many of its applicable issues the figure rests on. A country scored on "
        f"fewer than {min_scored} issues is listed as too little evidence rather than ranked. "
        "Change the weights and that minimum under Sort and weights above."
    )
    alignment_title = f"Alignment index as of {{day}} ({WEIGHT_WORDS[preset]})"
    bars = build_alignment(scores, title=alignment_title.format(day=day), min_scored=min_scored)
    with st.container(key="alignment"):
        time_travel_alignment(
            ds,
            with_source(bars, ds, frame[frame["state"] == SCORED]),
            follows=TRAVEL_KEY,
            stops=stops,
            value=when,
            countries=countries,
            issues=issues,
            weights=weights,
            min_scored=min_scored,
            title=alignment_title,
            config=chart_config(f"alignment-{when:%Y-%m-%d}"),
            key="alignment_time",
            alt=f"Ranked bar chart of the alignment index of {len(order)} countries as of {day}.",
        )
    st.html(image_buttons_html("alignment", bars.layout.title.text), unsafe_allow_javascript=True)
    share_box(ds)
    download_view(ds, frame[frame["country"].isin(shown)], as_of=when)


matrix_view()
st.caption(
    f"{md_escape(source_line(ds) or 'No source cited')}. Every source in full: About and method."
)
