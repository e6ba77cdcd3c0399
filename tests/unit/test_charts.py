"""Timeline, alignment and agreement figures: traces, colours, spans, hover and escaping."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis.measures import agreement, ranking, shared_counts
from figures.agreement import build_agreement
from figures.alignment import build_alignment
from figures.palette import SCORE_COLOURS
from figures.timeline import build_timeline, dodge, period_range

T = pd.Timestamp
RANGE = (T("2022-02-01"), T("2022-04-30"))


def obs(**overrides):
    base = {
        "country": ["KAZ", "KAZ", "UZB"],
        "issue": ["a", "b", "a"],
        "date": [T("2022-03-02"), T("2022-03-01"), T("2022-03-15")],
        "date_precision": ["day", "month", "approximate"],
        "label": ["Yes", "Refused", "No"],
        "score": [2, 1, -2],
        "summary": ["Voted yes.", "Refused <b>it</b>.", "Voted no."],
        "country_name": ["Kazakhstan", "Kazakhstan", "Uzbekistan"],
        "issue_label": ["Issue A", "Issue B", "Issue A"],
        "category": ["UN votes", "Economy", "UN votes"],
    }
    base.update(overrides)
    return pd.DataFrame(base)


EVENTS = pd.DataFrame(
    {"date": [T("2022-02-24"), T("2021-01-01")], "label": ["Invasion", "Out of range"]}
)


def test_timeline_shows_events_of_shown_countries_and_of_all():
    events = pd.DataFrame(
        {"date": [T("2022-03-01"), T("2022-03-10"), T("2022-03-20")],
         "label": ["For all", "Kazakh", "Armenian"], "country": ["", "KAZ", "ARM"]}
    )  # fmt: skip
    fig = build_timeline(
        obs(), events, countries=["KAZ", "UZB"], categories=["UN votes", "Economy"],
        date_range=RANGE, title="t",
    )  # fmt: skip
    labels = {a.text for a in fig.layout.annotations}
    assert {"For all", "Kazakh"} <= labels and "Armenian" not in labels


def timeline(**kw):
    return build_timeline(
        obs(**kw), EVENTS, countries=["KAZ", "UZB"], categories=["UN votes", "Economy"],
        date_range=RANGE, title="t",
    )  # fmt: skip


def data_traces(fig):
    return [t for t in fig.data if t.customdata is not None]


def test_markers_colour_by_score_and_shape_by_category():
    fig = timeline()
    by_name = {t.name: t for t in data_traces(fig)}
    exact = by_name["UN votes (exact date)"]
    assert exact.marker.symbol == "circle" and list(exact.marker.color) == [SCORE_COLOURS[2]]
    month = by_name["Economy (imprecise date)"]
    assert month.marker.symbol == "square-open"
    approx = by_name["UN votes (imprecise date)"]
    assert approx.marker.symbol == "circle-open"


def test_month_precision_gets_a_bar_over_its_month_and_approximate_does_not():
    spans = next(t for t in timeline().data if t.name == "date spans")
    xs = [x for x in spans.x if x is not None]
    assert xs == [T("2022-03-01"), T("2022-03-31")]


def test_clicks_carry_the_cell_and_hover_is_escaped():
    traces = data_traces(timeline())
    cells = [list(c) for t in traces for c in t.customdata]
    assert sorted(cells) == [["KAZ", "a"], ["KAZ", "b"], ["UZB", "a"]]
    hovers = " ".join(h for t in traces for h in t.hovertext)
    assert "Refused &lt;b&gt;it&lt;/b&gt;." in hovers and "<b>it</b>" not in hovers
    assert "Mar 2022" in hovers and "c. 15 Mar 2022" in hovers


def test_lanes_and_events_in_range_only():
    fig = timeline()
    assert list(fig.layout.yaxis.ticktext) == ["Kazakhstan", "Uzbekistan"]
    labels = [a.text for a in fig.layout.annotations]
    assert labels == ["Invasion"]


def test_same_day_markers_do_not_overlap():
    same = obs(date=[T("2022-03-01")] * 3, country=["KAZ"] * 3, date_precision=["day"] * 3)
    pos = dodge(same, ["KAZ", "UZB"], day_step=1.0)
    assert len(set(zip(pos["x"], pos["y"], strict=True))) == 3


def test_period_range():
    assert period_range("Feb–Apr 2022", T("2022-02-21"), T("2025-02-24"))[0] == T("2022-02-14")
    start, end = period_range(None, T("2022-02-21"), T("2025-02-24"))
    assert start < T("2022-02-21") and end > T("2025-02-24")


def test_alignment_bars_ranked_with_counts():
    frame = pd.DataFrame(
        {
            "country": ["A", "B", "C"],
            "country_name": ["Alpha", "Beta", "<i>Gamma</i>"],
            "index": [1.5, -2.0, None],
            "n_scored": [4, 3, 0],
            "n_applicable": [5, 5, 5],
            "ranked": [True, True, False],
        }
    )
    fig = build_alignment(frame, title="t")
    bar = fig.data[0]
    assert list(bar.y) == ["Beta", "Alpha"]  # ascending, so the highest is drawn on top
    assert bar.text[1] == "+1.50 · 4 of 5 issues"
    assert bar.marker.cmin == -2 and bar.marker.cmax == 2
    note = fig.layout.annotations[0].text
    assert "Too little evidence" in note and "&lt;i&gt;Gamma&lt;/i&gt; (0)" in note


def test_alignment_bars_and_matrix_share_the_tie_order():
    frame = pd.DataFrame(
        {
            "country": ["Z", "A", "M", "B"],
            "country_name": ["Zeta", "Alpha", "Mu", "Beta"],
            "index": [1.0, 1.0, 2.0, 2.0],
            "n_scored": [3, 3, 3, 1],
            "n_applicable": [5, 5, 5, 5],
            "ranked": [True, True, True, False],
        }
    )
    fig = build_alignment(frame, title="t")
    top_down = list(reversed(fig.data[0].y))
    assert top_down == ["Mu", "Alpha", "Zeta"] == [frame.set_index("country").at[c, "country_name"]
                                                   for c in ranking(frame)[:3]]  # fmt: skip
    assert "Beta (1)" in fig.layout.annotations[0].text


@pytest.mark.parametrize("pair", [("KAZ", "UZB"), ("KAZ", "RUS")])
def test_agreement_heatmap_labels_values(dataset, pair):
    from core.analysis.query import cells

    frame = cells(dataset, T("2025-02-24"))
    countries = list(pair)
    fig = build_agreement(
        agreement(frame, countries),
        shared_counts(frame, countries),
        {"KAZ": "Kazakhstan", "UZB": "Uzbekistan", "RUS": "Russia"},
        title="t",
    )
    heat = fig.data[0]
    assert heat.zmin == 0 and heat.zmax == 1
    assert heat.text[0][0] == "1.00"
    assert "issues scored for both" in heat.customdata[0][1]


def test_timeline_focus_fades_other_markers():
    fig = build_timeline(
        obs(), EVENTS, countries=["KAZ", "UZB"], categories=["UN votes", "Economy"],
        date_range=RANGE, title="t", focus=[("UZB", "a")],
    )  # fmt: skip
    opacity = {}
    for trace in data_traces(fig):
        for cell, alpha in zip(trace.customdata, trace.marker.opacity, strict=True):
            opacity[tuple(cell)] = alpha
    assert opacity[("UZB", "a")] == 1.0 and opacity[("KAZ", "a")] < 0.5
