"""Running pages in AppTest and reading their charts."""

from __future__ import annotations

import datetime as dt
import json

from streamlit.testing.v1 import AppTest

from core.settings import PACKAGE_DIR

APP = str(PACKAGE_DIR / "app.py")


def run_page(page: str | None = None, **params) -> AppTest:
    """Open the app on `page` (a file under app_pages/) with query parameters, as a deep link
    would; assert that it raised no exception. Each page's url_path is its file name."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(f"app_pages/{page}")
    at.run()
    assert_no_error(at)
    return at


def assert_no_error(at: AppTest) -> None:
    """No exception, and no page caught by app.py's last-resort guard."""
    assert not at.exception, [e.value for e in at.exception]
    assert not [e for e in at.error if "could not be shown" in e.value], "a page failed"


def travel_specs(at: AppTest, *, followers: bool = False) -> list[dict]:
    """What Python sent each As of control drawn in the browser (ui.time_travel): the figure
    at its date, the date, and the frames at every stop; with `followers`, the charts that
    follow such a control too."""
    specs = [
        json.loads(c.proto.json)
        for c in at.get("bidi_component")
        if c.proto.component_name == "time_travel"
    ]
    return specs if followers else [s for s in specs if not s.get("follows")]


def figures(at: AppTest) -> list[dict]:
    """Every Plotly figure on the page, as its JSON spec (those drawn by ui.time_travel too,
    at the date Python sent them)."""
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return charts + [spec["figure"] for spec in travel_specs(at, followers=True)]


def figure(at: AppTest, title_start: str) -> dict:
    """The figure whose title starts with `title_start`."""
    found = [f for f in figures(at) if f["layout"]["title"]["text"].startswith(title_start)]
    assert len(found) == 1, [f["layout"]["title"]["text"] for f in figures(at)]
    return found[0]


def texts(at: AppTest) -> str:
    """All markdown, captions, headers and alerts on the page, joined."""
    parts = []
    for kind in ("markdown", "caption", "subheader", "header", "title", "info", "warning"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def as_of_shown(at: AppTest):
    """The date the As of control shows: the browser-drawn one's, or the select slider's."""
    specs = travel_specs(at)
    if specs:
        return dt.date.fromisoformat(specs[0]["date"])
    return at.select_slider(key="as_of").value


def as_of_stops(at: AppTest) -> list[str]:
    """The As of control's stops, in words."""
    specs = travel_specs(at)
    return specs[0]["frames"]["days"] if specs else at.select_slider(key="as_of").options


def move_as_of(at: AppTest, value: dt.date) -> AppTest:
    """Move As of to `value` and run: as the browser's report of a date does (AppTest cannot
    drive a component), or by the select slider."""
    if travel_specs(at):
        at.session_state["as_of"] = value
        return at.run()
    return at.select_slider(key="as_of").set_value(value).run()
