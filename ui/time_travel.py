"""The As of slider, its Play button and the matrix they redraw, in the browser.

A `st.components.v2` component (assets/time_travel/): Python sends, once per change of filters,
the matrix figure at the chosen date and the looks of every cell at every stop
(figures.matrix_frames); the browser swaps those arrays on each slider step, so a step costs no
server round trip. Plotly's own in-figure slider would do that too, but it is no ARIA slider
(no role, no arrow keys, no value text), and the As of control must stay one. When the motion
stops, or Play pauses, the date comes back as the trigger "date"; a click on a cell as "cell".

plotly.js is the installed plotly package's own copy, served by this app from static/ (copied
there at start when missing or different, and not committed): no CDN.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly
import plotly.graph_objects as go
import streamlit as st

from core.model.dataset import Dataset
from core.model.provenance import source_line
from core.settings import PACKAGE_DIR
from figures.alignment import NOTE_PLACE
from figures.alignment_frames import alignment_frames
from figures.matrix_frames import matrix_frames
from figures.options import MIN_TEXT_SIZE
from ui.charts import PRINT_AREA_PX

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
SERVED_PLOTLY_JS = PACKAGE_DIR / "static" / "plotly.min.js"
"""Where the app serves plotly.js from: /app/static/plotly.min.js (enableStaticServing)."""
ASSETS = PACKAGE_DIR / "assets" / "time_travel"
COMPONENT = "time_travel"


def serve_plotly_js(source: Path = PLOTLY_JS, target: Path = SERVED_PLOTLY_JS) -> bool:
    """Copy plotly.js into the static folder unless the same file is there; True if copied.
    Written beside the target and renamed, so a reader never gets half a file."""
    same_size = target.exists() and target.stat().st_size == source.stat().st_size
    if same_size and _digest(target) == _digest(source):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    shutil.copyfile(source, partial)
    os.replace(partial, target)
    return True


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@st.cache_resource(show_spinner=False)
def _component():
    """The component, registered once per process, with plotly.js in place to serve."""
    serve_plotly_js()
    return st.components.v2.component(
        COMPONENT,
        js=(ASSETS / "time_travel.js").read_text(encoding="utf-8"),
        css=(ASSETS / "time_travel.css").read_text(encoding="utf-8"),
        isolate_styles=False,  # plotly.js styles its charts from the page's head
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def _frames(
    fingerprint: str, stops: tuple[pd.Timestamp, ...], countries: tuple[str, ...],
    issues: tuple[str, ...], title: str, _ds: Dataset,
) -> dict:  # fmt: skip
    """figures.matrix_frames, kept per dataset, stops, cells and title (read, never changed)."""
    return matrix_frames(_ds, list(stops), countries=list(countries), issues=list(issues),
                         title=title)  # fmt: skip


@st.cache_resource(max_entries=64, show_spinner=False)
def _alignment_frames(
    fingerprint: str, stops: tuple[pd.Timestamp, ...], countries: tuple[str, ...],
    issues: tuple[str, ...], weights: tuple[tuple[str, float], ...], min_scored: int,
    title: str, _ds: Dataset,
) -> dict:  # fmt: skip
    """figures.alignment_frames, kept per dataset, stops, cells, weights and title."""
    return alignment_frames(
        _ds, list(stops), countries=list(countries), issues=list(issues),
        weights=pd.Series(dict(weights)), min_scored=min_scored, title=title,
    )  # fmt: skip


def with_source(fig: go.Figure, ds: Dataset, shown: pd.DataFrame) -> go.Figure:
    """`fig` with the sources of the observations `shown` under its title, as ui.charts
    writes them (at the date Python drew it)."""
    line = source_line(ds, shown)
    if line and fig.layout.title.text:
        subtitle = {"text": html.escape(line), "font": {"size": MIN_TEXT_SIZE}}
        fig.update_layout(title_subtitle=subtitle)
    return fig


def _figure_spec(fig: go.Figure) -> dict:
    figure = json.loads(fig.to_json())
    figure["layout"].pop("template", None)  # plotly.py's; the browser applies the page's theme
    return figure


def moved_date(key: str) -> str | None:
    """The date the component `key` reported (YYYY-MM-DD), in its callback; else None."""
    value = (st.session_state.get(key) or {}).get("date")
    return value if isinstance(value, str) else None


def clicked_cell(key: str) -> tuple[str, str, str | None] | None:
    """(country, issue, date shown) of the cell clicked in the component `key`, in its
    callback; else None."""
    value = (st.session_state.get(key) or {}).get("cell")
    if not isinstance(value, dict) or not isinstance(value.get("cell"), list):
        return None
    cell = [str(v) for v in value["cell"][:2]]
    date = value.get("date")
    return (*cell, date if isinstance(date, str) else None) if len(cell) == 2 else None


def time_travel_matrix(
    ds: Dataset,
    fig: go.Figure,
    *,
    stops: list[pd.Timestamp],
    value: pd.Timestamp,
    countries: list[str],
    issues: list[str],
    title: str,
    config: dict,
    key: str,
    on_date: Callable[[], None] | None = None,
    on_cell: Callable[[], None] | None = None,
    alt: str = "",
    autoplay: bool = False,
) -> None:
    """The slider over `stops` at `value`, Play, and the matrix `fig` (drawn at `value`), which
    the browser redraws at every stop; `title` is its title before " as of <day>". Without
    `on_date`, the browser keeps the date to itself (a slide that plays); with `autoplay`, it
    plays on entry."""
    frames = _frames(ds.fingerprint, tuple(stops), tuple(countries), tuple(issues), title, ds)
    spec = {
        "key": key,
        "figure": _figure_spec(fig),
        "frames": frames,
        "date": f"{value:%Y-%m-%d}",
        "config": config,
        "autoplay": autoplay,
        "quiet": on_date is None,
        "alt": alt,
        "print_area": PRINT_AREA_PX,
    }
    callbacks = {"on_date_change": on_date, "on_cell_change": on_cell}
    _component()(key=key, data=spec, height="content", **{k: v for k, v in callbacks.items() if v})


def time_travel_alignment(
    ds: Dataset,
    fig: go.Figure,
    *,
    follows: str,
    stops: list[pd.Timestamp],
    value: pd.Timestamp,
    countries: list[str],
    issues: list[str],
    weights: pd.Series,
    min_scored: int,
    title: str,
    config: dict,
    key: str,
    alt: str = "",
) -> None:
    """The alignment chart `fig` (drawn at `value`), redrawn in the browser at every stop the
    control `follows` moves to; `title` holds "{day}" where the stop's day goes."""
    frames = _alignment_frames(
        ds.fingerprint, tuple(stops), tuple(countries), tuple(issues),
        tuple((str(k), float(v)) for k, v in weights.items()), int(min_scored), title, ds,
    )  # fmt: skip
    spec = {
        "follows": follows,
        "figure": _figure_spec(fig),
        "frames": frames,
        "date": f"{value:%Y-%m-%d}",
        "config": config,
        "note_place": NOTE_PLACE,
        "print_area": PRINT_AREA_PX,
        "alt": alt,
    }
    _component()(key=key, data=spec, height="content")
