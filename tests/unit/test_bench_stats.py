"""The benchmark's arithmetic: dates from titles, frames, medians, ratios and goals."""

from __future__ import annotations

import pytest

from bench.stats import (
    HEAP_TOLERANCE,
    date_of,
    frame_rate,
    frame_times,
    goals,
    heap_growth,
    medians,
    ratios,
)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Positions on Russia's war in Ukraine as of 24 Feb 2022", "24 Feb 2022"),
        ("Alignment index as of 1 Mar 2022 as of 2 Mar 2022", "2 Mar 2022"),
        ("Positions as of ", None),
        ("Observations over time", None),
        (None, None),
    ],
)
def test_the_date_is_what_follows_the_last_as_of(text, date):
    assert date_of(text) == date


def change(t: float, date: str | None) -> dict:
    return {"t": t, "text": f"Positions as of {date}" if date else "Loading"}


def test_a_frame_is_a_redraw_with_a_new_date():
    seen = [
        change(0, "1 Mar 2022"),
        change(40, "1 Mar 2022"),
        change(90, None),
        change(100, "2 Mar 2022"),
        change(150, "3 Mar 2022"),
        change(170, "3 Mar 2022"),
    ]
    assert frame_times(seen) == [0, 100, 150]


@pytest.mark.parametrize(
    ("times", "rate"),
    [([0, 100, 200, 300], 10.0), ([0, 500], 2.0), ([0], 0.0), ([], 0.0), ([5, 5], 0.0)],
)
def test_the_frame_rate_counts_intervals_between_frames(times, rate):
    assert frame_rate(times) == pytest.approx(rate)


def test_medians_leave_out_measures_without_samples():
    samples = {"app": {"a": [3.0, 1.0, 2.0], "b": []}, "baseline": {"a": [4.0, 6.0]}}
    assert medians(samples) == {"app": {"a": 2.0}, "baseline": {"a": 5.0}}


def test_ratios_are_app_over_baseline_and_the_map_is_against_the_first_draw():
    meds = {
        "app": {"first_draw_s": 3.0, "map_first_draw_s": 4.5, "play_fps": 20.0, "x": 1.0},
        "baseline": {"first_draw_s": 3.0, "play_fps": 0.0},
    }
    assert ratios(meds) == {"first_draw_s": 1.0, "map_first_draw_s": 1.5}


def test_heap_growth_is_last_over_first():
    assert heap_growth([[0, 20.0], [60, 30.0], [300, 22.0]]) == pytest.approx(0.1)
    assert heap_growth([[0, 20.0]]) is None


def result(**over) -> dict:
    base = {
        "label": "bundled",
        "ratios": {"slider_redraw_s": 0.4, "first_draw_s": 1.2},
        "medians": {"app": {"play_fps": 12.0}},
        "play_mode": {"app": "Play button"},
        "memory": {"seconds": 300.2, "mode": "Play button", "growth": 0.01},
    }
    return {**base, **over}


def by_name(out: list[dict]) -> dict[str, bool | None]:
    return {g["name"]: g["passed"] for g in out}


def test_each_goal_is_judged():
    assert by_name(goals(result())) == {
        "slider_redraw": True,
        "first_draw": False,
        "play_fps": True,
        "memory": True,
    }


def test_the_play_goal_depends_on_the_size():
    out = by_name(goals(result(label="scale", medians={"app": {"play_fps": 3.0}})))
    assert out["play_fps"] is True
    out = by_name(goals(result(medians={"app": {"play_fps": 3.0}})))
    assert out["play_fps"] is False


def test_heap_growth_beyond_the_tolerance_fails():
    memory = {"seconds": 300, "mode": "Play button", "growth": HEAP_TOLERANCE + 0.01}
    assert by_name(goals(result(memory=memory)))["memory"] is False


@pytest.mark.parametrize(
    ("over", "name", "note"),
    [
        ({"memory": {"seconds": 30, "mode": "Play button", "growth": 0.0}}, "memory", "30 s"),
        ({"memory": {"seconds": 300, "mode": "stepped by key", "growth": 0.0}}, "memory", "key"),
        ({"play_mode": {"app": "stepped by key"}}, "play_fps", "stepped by key"),
        ({"memory": None}, "memory", ""),
        ({"ratios": {}}, "slider_redraw", ""),
    ],
)
def test_what_was_not_measured_as_the_goal_says_is_neither_pass_nor_fail(over, name, note):
    judged = {g["name"]: g for g in goals(result(**over))}[name]
    assert judged["passed"] is None
    assert note in judged["note"]


def test_the_memory_goal_also_gives_the_growth_after_the_first_reading():
    samples = [[0, 30.0], [60, 36.0], [120, 37.0], [300, 37.8]]
    memory = {"seconds": 300, "mode": "Play button", "growth": 0.26, "samples_mb": samples}
    judged = {g["name"]: g for g in goals(result(memory=memory))}["memory"]
    assert judged["passed"] is False
    assert judged["note"] == "+5.0% from the reading after 60 s"
