"""Pieces of presenter mode: the screen's size, big-screen styles, a step's chart, and a step
drawn as one slide that fills the screen.

Streamlit never tells the server the window's size, so a hidden component reports it
(`screen_size`) and the page reruns with it: the chart's height and every type size are then
exact pixels (PRESENTER grown by `screen_scale`), the same numbers the CSS uses for the words.
CSS alone (vh units) cannot size the type inside a Plotly chart, and a `?screen=` parameter
would be one more thing to get wrong on the day."""

from __future__ import annotations

import threading
from dataclasses import replace
from urllib.parse import urlencode

import plotly.graph_objects as go
import streamlit as st

from core.analysis.query import change_dates
from core.model.dataset import Dataset
from core.model.geo import DEFAULT_REGION, REGIONS, label_points, load_geometry
from core.model.vocabulary import NO_EVIDENCE, NOT_APPLICABLE, STATE_MARKS, STATE_NAMES
from core.serving.steps import StepView, step_view
from core.serving.story import Step
from core.settings import VIEW_CACHE_ENTRIES, VIEW_CACHE_TTL_SECONDS
from figures.agreement import build_agreement
from figures.map import build_map, index_values, issue_values
from figures.matrix import build_matrix
from figures.options import PRESENTER, PRESENTER_SCREEN, Presentation, scaled
from figures.timeline import build_timeline
from ui.charts import chart_config
from ui.contract import PAGE, PARAM, link_pairs
from ui.state import cached_source_line
from ui.text import md_escape
from ui.time_travel import time_travel_matrix

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
PAD_X, PAD_Y, GAP = 32, 16, 32
"""The slide's side and top/bottom padding and the gap between text and chart, in pixels at
PRESENTER_SCREEN; like the type, they grow with the screen (`--s` in the CSS)."""
TEXT_SHARE = {"map": 1 / 3}
"""The share of the slide's width the text column takes, by page (else DEFAULT_TEXT_SHARE); the
chart takes the rest. A map is held to its shape, so it needs the width more than the height."""
DEFAULT_TEXT_SHARE = 2 / 5
BIG_SCREEN_CSS = """
<style>
[data-testid=stHeader], [data-testid=stToolbar], .st-key-screen-size, .st-key-present-keys,
[class*=st-key-follow-room-] {display: none;}
[data-testid=stApp] {--s: %(scale).4f;}
[data-testid=stMainBlockContainer] {
  padding: calc(var(--s) * %(pad_y)dpx) calc(var(--s) * %(pad_x)dpx); max-width: 100%%;
}
.st-key-slide [data-testid=stHorizontalBlock] {gap: calc(var(--s) * %(gap)dpx); flex-wrap: nowrap;}
[data-testid=stLayoutWrapper]:has(> .st-key-slide) + * {margin-top: calc(var(--s) * %(pad_y)dpx);}
.st-key-step-progress p {font-size: calc(var(--s) * 20px); font-weight: 600; margin: 0;}
.st-key-step-title h1 {font-size: calc(var(--s) * 34px); line-height: 1.15; padding: 0;}
.st-key-narration p {font-size: calc(var(--s) * 24px); line-height: 1.35;}
.st-key-step-key p {font-size: calc(var(--s) * 16px); line-height: 1.35;}
.st-key-step-sources p {font-size: calc(var(--s) * 14px);}
.st-key-notes p {font-size: 20px;}
%(swap)s
</style>
"""
SWAP_RULE = (
    ".st-key-slide:not(:has(.st-key-present-chart-%(n)d .gtitle)) .st-key-step-text-%(n)d "
    "{visibility: hidden;}"
)
"""A step's words stay hidden until its own chart is drawn, so an audience screen never shows
one step's words over another step's chart while the new chart renders."""
HIGH_CONTRAST_CSS = """
<style>
[data-testid=stApp], [data-testid=stMain] {background: #000000; color: #ffffff;}
[data-testid=stApp] p, [data-testid=stApp] h1, [data-testid=stApp] h2,
[data-testid=stApp] h3, [data-testid=stApp] label {color: #ffffff;}
[data-testid=stApp] button {border: 2px solid #ffffff; color: #ffffff; background: #000000;}
[data-testid=stApp] :focus-visible {outline: 4px solid #ffd400;}
</style>
"""


SCREEN_JS = """
export default function ({ data, setStateValue }) {
  const report = () => {
    const size = [window.innerWidth, window.innerHeight];
    const known = data && data.known;
    if (!known || known[0] !== size[0] || known[1] !== size[1]) setStateValue("size", size);
  };
  report();
  let timer;
  const later = () => { clearTimeout(timer); timer = setTimeout(report, 300); };
  window.addEventListener("resize", later);
  return () => { clearTimeout(timer); window.removeEventListener("resize", later); };
}
"""
SCREEN_LIMITS = ((320, 7680), (240, 4320))
"""Reported window sizes are clamped to these (width, height) ranges: the browser is not trusted."""
_screen_reporter = st.components.v2.component("present_screen_size", js=SCREEN_JS)


def screen_size() -> tuple[int, int]:
    """The browser window's size in CSS pixels, as a hidden component reports it (and again after
    a resize); PRESENTER_SCREEN until it has. Streamlit itself never tells the server."""
    result = _screen_reporter(key="screen-size", data={"known": st.session_state.get("screen")},
                              on_size_change=lambda: None)  # fmt: skip
    size = result.get("size") if result else None
    if not (isinstance(size, list) and len(size) == 2):
        return PRESENTER_SCREEN
    try:
        clamped = [
            min(max(int(v), lo), hi) for v, (lo, hi) in zip(size, SCREEN_LIMITS, strict=True)
        ]
    except (TypeError, ValueError):
        return PRESENTER_SCREEN
    st.session_state["screen"] = clamped
    return clamped[0], clamped[1]


def screen_scale(screen: tuple[int, int]) -> float:
    """How much larger than PRESENTER_SCREEN a screen is (the smaller of the two ratios)."""
    return min(screen[0] / PRESENTER_SCREEN[0], screen[1] / PRESENTER_SCREEN[1])


def big_screen(high_contrast: bool, screen: tuple[int, int], total: int) -> None:
    """Styles for the projector: no header or toolbar, type and room grown with the screen, a
    step's words shown with its chart, optional high contrast."""
    swap = "\n".join(SWAP_RULE % {"n": n} for n in range(1, total + 1))
    values = {"scale": screen_scale(screen), "pad_x": PAD_X, "pad_y": PAD_Y, "gap": GAP}
    st.html(
        BIG_SCREEN_CSS % (values | {"swap": swap}) + (HIGH_CONTRAST_CSS if high_contrast else "")
    )


def slide_options(screen: tuple[int, int], high_contrast: bool, share: float) -> Presentation:
    """PRESENTER fitted to `screen`: type grown with it, the chart as tall as the screen less the
    slide's padding and as wide as its column (the slide less the words' `share`)."""
    scale = screen_scale(screen)
    width = (screen[0] - 2 * PAD_X * scale - GAP * scale) * (1 - share)
    height = screen[1] - 2 * PAD_Y * scale
    return replace(scaled(PRESENTER, scale), width=round(width), height=round(height),
                   high_contrast=high_contrast)  # fmt: skip


@st.cache_data(max_entries=VIEW_CACHE_ENTRIES, ttl=VIEW_CACHE_TTL_SECONDS, show_spinner=False)
def cached_step_view(fingerprint: str, step: Step, _ds: Dataset) -> StepView:
    """core.serving.steps.step_view, cached per dataset and step."""
    return step_view(_ds, step)


def step_figure(ds: Dataset, step: Step, options: Presentation = PRESENTER) -> go.Figure:
    """The chart a step shows, drawn for the big screen with its focus cells emphasised; built
    once per dataset, step and presentation (screen size and contrast) and shared by every
    screen showing it, so treat it as read-only."""
    return _step_figure(ds.fingerprint, step, options, ds)


@st.cache_resource(max_entries=VIEW_CACHE_ENTRIES, ttl=VIEW_CACHE_TTL_SECONDS, show_spinner=False)
def _step_figure(fingerprint: str, step: Step, options: Presentation, _ds: Dataset) -> go.Figure:
    return build_step_figure(_ds, step, options)


def warm_step(ds: Dataset, step: Step, screen: tuple[int, int], high_contrast: bool) -> None:
    """Build `step`'s figure for this screen in the background, once per process, so that the
    move to it finds it cached: otherwise every screen of the room waits on its first build
    (30 ms to 1.7 s) the moment the presenter moves."""
    options = slide_options(screen, high_contrast, TEXT_SHARE.get(step.page, DEFAULT_TEXT_SHARE))
    key = (ds.fingerprint, step.number, step.title, options)
    with _WARM_LOCK:
        if key in _WARMED:
            return
        if len(_WARMED) >= VIEW_CACHE_ENTRIES:
            _WARMED.clear()
        _WARMED.add(key)
    threading.Thread(
        target=_step_figure, args=(ds.fingerprint, step, options, ds), daemon=True
    ).start()


_WARMED: set = set()
_WARM_LOCK = threading.Lock()


def build_step_figure(ds: Dataset, step: Step, options: Presentation) -> go.Figure:
    """The chart a step shows (uncached; see step_figure)."""
    view = cached_step_view(ds.fingerprint, step, ds)
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
            index=index, focus=tuple(c for c, _ in step.focus), options=options,
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


PLAY_ROW_PX = 72
"""The height of the As of control's row (Play, speed, slider, the date) above a playing slide."""


def plays(step: Step) -> bool:
    """Whether `step` plays through its dates on entry."""
    return step.page == "matrix" and step.play_from is not None and step.as_of is not None


def playing_slide(ds: Dataset, step: Step, fig: go.Figure, chart_key: str) -> None:
    """A matrix step that plays from its `play_from` date to its date on entry: the As of
    control drawn in the browser (ui.time_travel), over the change dates between the two."""
    ends = [step.play_from, step.as_of]
    stops = sorted({*ends, *(d for d in change_dates(ds) if ends[0] <= d <= ends[1])})
    time_travel_matrix(
        ds, fig, stops=stops, value=step.play_from, countries=step.countries, issues=step.issues,
        title=str(fig.layout.title.text).rsplit(" as of ", 1)[0],
        config=chart_config(f"story-step-{step.number}"), key=f"{chart_key}-{step.number}",
        alt=f"Chart for step {step.number}: {step.title}", autoplay=True,
    )  # fmt: skip


def draw_step(
    ds: Dataset, step: Step, total: int, *, screen: tuple[int, int], high_contrast: bool,
    chart_key: str,
) -> None:  # fmt: skip
    """One slide: progress, title, narration, key and sources beside the chart, as tall as the
    screen. The chart is built before anything is written, and the words wait for it (SWAP_RULE)."""
    share = TEXT_SHARE.get(step.page, DEFAULT_TEXT_SHARE)
    options = slide_options(screen, high_contrast, share)
    if plays(step):  # the As of control's row takes its height from the chart's
        options = replace(options, height=options.height - PLAY_ROW_PX)
    fig = step_figure(ds, step, options)
    with st.container(key="slide"):
        text, chart = st.columns([share, 1 - share])
        with text, st.container(key=f"step-text-{step.number}"):
            with st.container(key="step-progress"):
                st.markdown(f"{step.number} / {total}")
            with st.container(key="step-title"):
                st.title(md_escape(step.title), anchor=False)
            with st.container(key="narration"):
                for paragraph in step.narration.split("\n\n"):
                    st.markdown(md_escape(paragraph))
            if step.page in KEY_TEXT:
                with st.container(key="step-key"):
                    st.markdown(KEY_TEXT[step.page])
            if line := cached_source_line(ds.fingerprint, None, ds):
                with st.container(key="step-sources"):
                    st.caption(md_escape(line))
        with chart, st.container(key=chart_key):
            if plays(step):
                playing_slide(ds, step, fig, chart_key)
            else:
                st.plotly_chart(
                    fig, key=f"{chart_key}-{step.number}",
                    config=chart_config(f"story-step-{step.number}"),
                    theme=None if options.high_contrast else "streamlit",
                    alt=f"Chart for step {step.number}: {step.title}",
                )  # fmt: skip
