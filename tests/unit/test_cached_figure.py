"""ui.charts.cached_figure: a figure is built once per builder, frame content and options, shared
read-only, and show_chart's copy carries the source line while the shared figure stays as built."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import _with_source, cached_figure

calls: list[tuple] = []


def bars(frame: pd.DataFrame, *, title: str) -> go.Figure:
    calls.append((len(frame), title))
    return go.Figure(go.Bar(x=frame["x"], y=frame["y"]), layout={"title": {"text": title}})


def test_the_same_view_is_built_once_and_a_changed_one_again():
    calls.clear()
    frame = pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})
    first = cached_figure(bars, frame, title="T")
    assert cached_figure(bars, frame.copy(), title="T") is first  # same content, same figure
    assert calls == [(2, "T")]
    assert cached_figure(bars, frame, title="U") is not first
    changed = frame.assign(y=[1, 3])
    assert cached_figure(bars, changed, title="T") is not first
    assert len(calls) == 3


def test_the_source_line_goes_on_a_cached_copy_never_on_the_shared_figure():
    frame = pd.DataFrame({"x": ["a"], "y": [1]})
    shared = cached_figure(bars, frame, title="With a source")
    copy = _with_source(shared._shared_key, "Source: <b>x</b>", shared)
    assert copy is not shared
    assert copy.layout.title.subtitle.text == "Source: &lt;b&gt;x&lt;/b&gt;"  # escaped
    assert shared.layout.title.subtitle.text is None
    assert _with_source(shared._shared_key, "Source: <b>x</b>", shared) is copy
