"""Pieces of presenter mode: big-screen styles, a step's chart, and a step drawn for a room."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import plotly.graph_objects as go
import streamlit as st

from core.model.dataset import Dataset
from core.model.geo import DEFAULT_REGION, REGIONS, label_points, load_geometry
from core.model.vocabulary import NO_EVIDENCE, NOT_APPLICABLE, STATE_MARKS, STATE_NAMES
from core.serving.steps import StepView, step_view
from core.serving.story import Step
from figures.agreement import build_agreement
from figures.map import build_map, index_values, issue_values
from figures.matrix import build_matrix
from figures.options import PRESENTER
from figures.timeline import build_timeline
from ui.charts import show_chart
from ui.contract import PAGE, PARAM, link_pairs
from ui.text import md_escape

MAP_HEIGHT = PRESENTER.height + 60  # a map needs the height more than the width
SCORE_KEY = (
    "Dark blue: open distancing from Moscow · light blue: quiet distancing · grey-white: neutral "
    "or silent · orange: leaning to Moscow · red: siding with Moscow."
)
KEY_TEXT = {
    "matrix": f"{SCORE_KEY} Marked {STATE_MARKS[NO_EVIDENCE]}: {STATE_NAMES[NO_EVIDENCE]} · grey, "
    f"marked {STATE_MARKS[NOT_APPLICABLE]}: {STATE_NAMES[NOT_APPLICABLE]}. Outlined cells are "
    "this step's focus.",
    "map": f"{SCORE_KEY} White with a dark outline: {STATE_NAMES[NO_EVIDENCE]} · grey: "
    f"{STATE_NAMES[NOT_APPLICABLE]}. Each state's code and value are written on it.",
    "timeline": f"{SCORE_KEY} Shape: the category (circle UN votes, square diplomacy, diamond "
    "sovereignty). Hollow: approximate date. Faded markers are outside this step's focus.",
}
BIG_SCREEN_CSS = """
<style>
[data-testid=stHeader], [data-testid=stToolbar] {display: none;}
[data-testid=stMainBlockContainer] {padding: 1rem 2rem 1rem 2rem; max-width: 100%;}
.st-key-step-title h1 {font-size: 2.6rem; line-height: 1.15; padding: 0;}
.st-key-narration p {font-size: 28px; line-height: 1.4;}
.st-key-step-progress p {font-size: 24px; font-weight: 600;}
.st-key-notes p {font-size: 20px;}
.st-key-narration + div [data-testid=stCaptionContainer] p,
[data-testid=stCaptionContainer] p {font-size: 18px;}
</style>
"""
HIGH_CONTRAST_CSS = """
<style>
[data-testid=stApp], [data-testid=stMain] {background: #000000; color: #ffffff;}
[data-testid=stApp] p, [data-testid=stApp] h1, [data-testid=stApp] h2,
[data-testid=stApp] h3, [data-testid=stApp] label {color: #ffffff;}
[data-testid=stApp] button {border: 2px solid #ffffff; color: #ffffff; background: #000000;}
[data-testid=stApp] :focus-visible {outline: 4px solid #ffd400;}
</style>
"""


def big_screen(high_contrast: bool) -> None:
    """Styles for the projector: no header or toolbar, large type, optional high contrast."""
    st.html(BIG_SCREEN_CSS + (HIGH_CONTRAST_CSS if high_contrast else ""))


@st.cache_data(max_entries=64, show_spinner=False)
def cached_step_view(fingerprint: str, step: Step, _ds: Dataset) -> StepView:
    """core.serving.steps.step_view, cached per dataset and step."""
    return step_view(_ds, step)


def step_figure(ds: Dataset, step: Step, high_contrast: bool = False) -> go.Figure:
    """The chart a step shows, drawn for the big screen with its focus cells emphasised."""
    view = cached_step_view(ds.fingerprint, step, ds)
    options = replace(PRESENTER, high_contrast=high_contrast)
    if step.page == "timeline":
        return build_timeline(
            view.observations, view.events, countries=step.countries, categories=view.categories,
            date_range=view.date_range, title=view.title, focus=step.focus, options=options,
        )  # fmt: skip
    if step.page == "map":
        index = view.alignment is not None
        return build_map(
            index_values(view.alignment) if index else issue_values(view.cells),
            load_geometry(), label_points(), view=REGIONS[DEFAULT_REGION], title=view.title,
            index=index, focus=tuple(c for c, _ in step.focus),
            options=replace(options, height=MAP_HEIGHT),
        )  # fmt: skip
    if step.page == "compare":
        return build_agreement(
            view.agreement, view.shared, view.names, title=view.title, options=options
        )
    return build_matrix(
        view.cells, countries=step.countries, issues=step.issues, title=view.title,
        focus=step.focus, options=options,
    )  # fmt: skip


def step_link(step: Step) -> str:
    """The dashboard page and deep link that show this step's view, to explore it live (its
    parameters as ui.contract gives them for that page)."""
    values: dict[str, object] = {"countries": step.countries, "as_of": step.as_of}
    one_issue = step.page == "map" and len(step.issues) == 1
    values["show" if one_issue else "issues"] = step.issues[0] if one_issue else step.issues
    if step.focus:
        values["cell"] = f"{step.focus[0][0]}:{step.focus[0][1]}"
    state = {PARAM[name].state_key(step.page): value for name, value in values.items()}
    return f"{PAGE[step.page].path}?{urlencode(link_pairs(step.page, state, {}))}"


def draw_step(ds: Dataset, step: Step, total: int, *, high_contrast: bool, chart_key: str) -> None:
    """Title, progress, narration and chart of one step, laid out to fit one screen."""
    top = st.columns([6, 1], vertical_alignment="center")
    with top[0], st.container(key="step-title"):
        st.title(md_escape(step.title), anchor=False)
    with top[1], st.container(key="step-progress"):
        st.markdown(f"{step.number} / {total}")
    left, right = st.columns([2, 3], gap="large")
    with left, st.container(key="narration"):
        for paragraph in step.narration.split("\n\n"):
            st.markdown(md_escape(paragraph))
    if step.page in KEY_TEXT:
        with left:
            st.caption(KEY_TEXT[step.page])
    with right:
        show_chart(
            step_figure(ds, step, high_contrast),
            ds,
            key=chart_key,
            theme=None if high_contrast else "streamlit",
            filename=f"story-step-{step.number}",
            alt=f"Chart for step {step.number}: {step.title}",
        )
