"""The load harness's pure parts: percentiles and summaries, the audience's follow logic, the
file the explorers import, and the README's load table."""

from __future__ import annotations

import datetime as dt
import json
import math
import random

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.load.journeys import Audience, Room, chart_step, small_csv
from bench.load.report import (
    by_step,
    load_results,
    markdown_table,
    percentile,
    stats,
    summarize,
    usage,
)
from core.ingest.importing import import_file


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([1.0], 50, 1.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 95, 4.8),
        ([5.0, 1.0, 3.0], 0, 1.0),
        ([5.0, 1.0, 3.0], 100, 5.0),
    ],
)
def test_percentile_interpolates_between_ranks(values, q, expected):
    assert percentile(values, q) == pytest.approx(expected)


def test_percentile_of_nothing_is_nan():
    assert math.isnan(percentile([], 50))


def test_errors_are_counted_apart_from_the_latencies():
    samples = [
        {"name": "open /", "seconds": 1.0, "error": None},
        {"name": "open /", "seconds": 3.0, "error": None},
        {"name": "open /", "seconds": 60.0, "error": "ProtocolError: timeout"},
        {"name": "follow", "seconds": 0.5, "error": None},
    ]
    summary = summarize(samples)
    assert list(summary) == ["follow", "open /"]
    assert summary["open /"]["count"] == 3 and summary["open /"]["errors"] == 1
    assert summary["open /"]["p50_s"] == 2.0 and summary["open /"]["max_s"] == 3.0
    assert summary["open /"]["error_messages"] == {"ProtocolError: timeout": 1}
    assert stats([])["count"] == 0 and math.isnan(stats([])["p95_s"])


def test_usage_summarises_cpu_and_memory_over_a_phase():
    timeline = [
        {"t": 0, "cpu": 50.0, "rss_mb": 200.0, "load1": 1.0},
        {"t": 1, "cpu": 100.0, "rss_mb": 230.0, "load1": 3.0},
        {"t": 2, "cpu": 0.0, "rss_mb": 210.0, "load1": 2.0},
    ]
    use = usage(timeline)
    assert use["cpu_mean"] == 50.0 and use["cpu_max"] == 100.0
    assert (use["rss_start_mb"], use["rss_end_mb"], use["rss_max_mb"]) == (200.0, 210.0, 230.0)
    assert use["load1_mean"] == 2.0
    assert usage([]) == {}


@pytest.mark.parametrize(
    ("widget_id", "step"),
    [("$$ID-ab12-present-chart-7", 7), ("$$ID-ab12-present-chart-x", None), ("", None)],
)
def test_chart_step_reads_the_step_from_the_chart_key(widget_id, step):
    assert chart_step(widget_id) == step


def test_the_explorers_file_is_accepted_by_the_importer(dataset):
    """As Your data imports it: a wide matrix dated by the page's date field (today)."""
    raw = small_csv(random.Random(3))
    result = import_file("small.csv", raw, dataset, as_of=dt.date.today())
    assert result.problems == [] and result.dataset is not None


def make_audience(room: Room, expected: int, shown: int, limit: float = 10.0):
    """An audience that followed the room up to step `expected` and shows step `shown`."""
    followed, lost = [], []
    audience = Audience("http://127.0.0.1:1", room, followed.append, lost.append, limit=limit)
    audience.expected, audience.shown, audience.shown_at = expected, shown, 90.0
    return audience, followed, lost


def test_a_move_is_followed_once_from_the_moment_its_chart_is_shown():
    room = Room(code="ABC", step=2, total=5, moved_at=100.0)
    audience, followed, lost = make_audience(room, expected=1, shown=1)
    audience._check(100.5)
    assert followed == []
    audience.shown, audience.shown_at = 2, 101.5
    audience._check(102.0)
    audience._check(103.0)
    assert followed == [1.5] and lost == []


def test_a_step_not_shown_in_time_is_lost_once():
    room = Room(code="ABC", step=3, total=5, moved_at=100.0)
    audience, followed, lost = make_audience(room, expected=2, shown=2, limit=10.0)
    audience._check(105.0)
    assert lost == []
    audience._check(111.0)
    audience._check(112.0)
    assert lost == [3] and followed == []


def test_a_step_the_room_moved_past_before_it_was_shown_is_lost():
    room = Room(code="ABC", step=3, total=5, moved_at=100.0)
    audience, followed, lost = make_audience(room, expected=2, shown=1)
    audience.settled = False
    audience.shown, audience.shown_at = 3, 100.2
    audience._check(100.3)
    assert lost == [2] and followed == [pytest.approx(0.2)]


def test_the_step_shown_on_joining_is_no_move_followed():
    room = Room(code="ABC", step=4, total=5, moved_at=100.0)
    audience, followed, lost = make_audience(room, expected=0, shown=4)
    audience._check(130.0)
    assert followed == [] and lost == []


RESULT = {
    "config": {"label": "before", "commit": "abc1234", "replicas": 1, "load1": 1.23},
    "single_rerun": {"p50_s": 0.466, "p95_s": 0.6, "errors": 0, "ratio_to_baseline": 2.04},
    "memory": {"sessions": 300, "rss_warm_mb": 182.0, "rss_after_mb": 202.4},
    "imports": {"datasets": 20, "errors": 0, "per_dataset_mb": 1.234},
    "explorers": {
        "users": 10,
        "requests": {"open /": {"errors": 0}, "move As of": {"errors": 2}},
        "overall": {"p50_s": 0.7, "p95_s": 1.4},
        "usage": {"cpu_mean": 64.2},
    },
    "audience": {
        "users": 25,
        "requests": {
            "follow": {"errors": 5},
            "audience: join": {"p50_s": 2.0, "p95_s": 4.0, "errors": 1},
        },
        "overall": {"p50_s": 1.0, "p95_s": math.nan},
        "usage": {"cpu_mean": 100.0},
    },
}


def test_the_load_table_reads_like_the_readme():
    table = markdown_table([RESULT]).splitlines()
    run = "| before (abc1234, 1 replica, load 1.2) |"
    assert table[2] == (
        f"{run} one rerun of `/`, one user (2.0× the baseline app's) | 466 ms | 600 ms |  | 0 |  |"
    )
    assert table[3] == (
        f"{run} 10 explorers, every action → script finished | 700 ms | 1,400 ms | 3.0× | 2 | 64% |"
    )
    assert table[4] == (
        f"{run} 25 audience devices, follow: presenter's move → step shown | 1,000 ms |  |  | 6 "
        "| 100% |"
    )
    assert (
        table[5]
        == f"{run} 25 audience devices, opening the room's screen | 2,000 ms | 4,000 ms |  | 1 |  |"
    )
    assert table[6] == (
        f"{run} RSS growth per imported dataset (20 imported and opened) | 1.2 MB |  |  | 0 |  |"
    )
    assert table[7] == f"{run} RSS after warm-up → after 300 sessions | 182 MB | 202 MB |  |  |  |"


def test_a_phase_where_nothing_succeeded_says_so():
    result = json.loads(json.dumps(RESULT))
    result["audience"]["overall"] = {"count": 6, "errors": 6, "p50_s": math.nan, "p95_s": math.nan}
    row = markdown_table([result]).splitlines()[4]
    assert "step shown (none of 6 in time) |  |  |  | 6 |" in row


def test_results_are_tabulated_before_after_then_the_rest(tmp_path):
    for label in ("zz-cluster", "after", "before", "latest"):
        result = json.loads(json.dumps(RESULT))
        result["config"]["label"] = label
        (tmp_path / f"load-{label}.json").write_text(json.dumps(result))
    assert [r["config"]["label"] for r in load_results(tmp_path)] == [
        "before",
        "after",
        "zz-cluster",
    ]


def test_rss_once_the_closed_sessions_expired_is_its_own_row():
    result = json.loads(json.dumps(RESULT))
    result["memory"] |= {"expiry_s": 150, "rss_expired_mb": 190.6}
    table = markdown_table([result]).splitlines()
    assert table[8].endswith(
        "| RSS 150 s later, the closed sessions expired |  | 191 MB |  |  |  |"
    ), table[8]


@pytest.mark.parametrize("kind", ["plotly_chart", "bidi_component"])
def test_a_step_is_shown_when_its_chart_or_its_playing_as_of_control_arrives(kind):
    """Step 10 plays on entry: its chart is the As of component, not a plotly_chart. The
    harness took every such move for a step never shown (100 errors in a long run)."""
    room = Room(code="ABC", step=10, total=11, moved_at=100.0)
    audience, followed, lost = make_audience(room, expected=9, shown=9)
    msg = ForwardMsg()
    getattr(msg.delta.new_element, kind).id = "$$ID-ab12-present-chart-10"
    audience._seen(msg, 101.25)
    assert audience.shown == 10 and followed == [1.25] and lost == []


def test_follows_are_summarised_per_step_moved_to():
    records = [
        {"name": "follow", "seconds": 1.0, "error": None, "step": 2},
        {"name": "follow", "seconds": 3.0, "error": None, "step": 10},
        {"name": "follow", "seconds": 10.0, "error": "step 10 not shown", "step": 10},
        {"name": "open /", "seconds": 9.0, "error": None},
    ]
    steps = by_step(records)
    assert list(steps) == ["2", "10"]
    assert steps["10"]["count"] == 2 and steps["10"]["errors"] == 1 and steps["10"]["p50_s"] == 3


def test_explorer_rows_say_how_many_actions_were_done_a_second():
    result = json.loads(json.dumps(RESULT))
    result["explorers"] |= {"seconds": 150, "overall": {"count": 520, "errors": 8, "p50_s": 1.0,
                                                         "p95_s": 5.6}}  # fmt: skip
    row = markdown_table([result]).splitlines()[3]
    assert "10 explorers, every action → script finished (512 done in 150 s, 3.4/s) |" in row
