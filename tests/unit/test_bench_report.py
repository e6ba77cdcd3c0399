"""The benchmark's tables: what a run prints and the README block made from bench/results/."""

from __future__ import annotations

import json

from bench.report import load_results, readme_block, table
from bench.stats import goals


def run(label: str = "bundled", **over) -> dict:
    result = {
        "label": label,
        "date": "2026-11-29T21:00:00Z",
        "commit": "0123456789abcdef",
        "dirty": False,
        "machine": {
            "cpus": 2,
            "load_average": [0.5, 0.7, 0.9],
            "load_average_end": [1.5, 1, 0.9],
            "chromium": "156.0",
        },
        "settings": {"rounds": 5, "slides_per_round": 3, "play_seconds": 10.0},
        "data": {"countries": 11, "issues": 27, "observations": 408, "change_dates": 203},
        "play_mode": {"app": "Play button", "baseline": "stepped by key"},
        "medians": {
            "app": {
                "first_draw_s": 2.4,
                "slider_redraw_s": 0.05,
                "play_fps": 20.0,
                "map_first_draw_s": 3.0,
            },
            "baseline": {"first_draw_s": 2.0, "slider_redraw_s": 0.2, "play_fps": 4.0},
        },
        "ratios": {
            "first_draw_s": 1.2,
            "slider_redraw_s": 0.25,
            "play_fps": 5.0,
            "map_first_draw_s": 1.5,
        },
        "memory": {
            "seconds": 300.4,
            "mode": "Play button",
            "growth": 0.02,
            "samples_mb": [[0.0, 30.0], [300.4, 30.6]],
        },
        **over,
    }
    result["goals"] = goals(result)
    return result


def rows(text: str) -> dict[str, list[str]]:
    """The table's cells by the first words of their row."""
    out = {}
    for line in text.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        out[cells[0]] = cells[1:]
    return out


def test_the_table_gives_medians_ratios_goals_and_whether_each_was_met():
    got = rows(table(run()))
    assert got["first draw"] == [
        "2400 ms",
        "2000 ms",
        "1.200",
        "first draw ≤ 1.15× the baseline's",
        "**no**",
    ]
    assert got["slider redraw (baseline: its rerun)"][:3] == ["50 ms", "200 ms", "0.250"]
    assert got["slider redraw (baseline: its rerun)"][-1] == "yes"
    assert got["Play frame rate"][:2] == ["20.0 /s", "4.0 /s (stepped by key)"]
    memory = next(v for k, v in got.items() if k.startswith("page memory"))
    assert memory[0] == "30.0 → 30.6 MB" and memory[2] == "+2.0%" and memory[-1] == "yes"
    assert got["map first draw (baseline: its one page)"][2] == "1.500"


def test_the_memory_row_shows_every_reading():
    samples = [[0.0, 30.0], [60.1, 31.0], [120.2, 31.2], [180.0, 31.1]]
    text = table(
        run(
            memory={
                "seconds": 180.0,
                "mode": "Play button",
                "growth": 0.037,
                "samples_mb": samples,
                "every_s": 60.0,
            }
        )
    )
    name, cells = next((k, v) for k, v in rows(text).items() if k.startswith("page memory"))
    assert name.endswith("every 60 s to 180 s")
    assert cells[0] == "30.0 → 31.0 → 31.2 → 31.1 MB"


def test_the_play_row_names_the_speed_played_at():
    got = rows(table(run(play_speed={"app": "Fastest (as fast as drawn)", "baseline": None})))
    assert got["Play frame rate, speed Fastest (as fast as drawn)"][0] == "20.0 /s"


def test_a_goal_not_measured_says_why():
    text = table(
        run(
            memory={
                "seconds": 30.0,
                "mode": "Play button",
                "growth": 0.0,
                "samples_mb": [[0.0, 30.0], [30.0, 30.0]],
            }
        )
    )
    memory = next(v for k, v in rows(text).items() if k.startswith("page memory"))
    assert memory[-1] == "not measured (measured over 30 s only)"


def test_the_scale_run_shows_its_validation():
    text = table(run("scale", validation={"positions": 57900, "seconds": 0.248}))
    assert rows(text)["validating the whole package (57,900 positions)"][0] == "248 ms"


def test_the_block_names_the_data_the_date_and_the_commit_of_each_size():
    block = readme_block({"bundled": run(), "scale": run("scale", dirty=True)})
    assert block.index("**Bundled data**") < block.index("**Synthetic UN-wide package**")
    assert "2026-11-29 21:00:00Z at commit `01234567`;" in block
    assert "at commit `01234567` with uncommitted changes" in block
    assert "408 observations" in block
    assert "load average (1/5/15 min) 0.5/0.7/0.9 at the start, 1.5/1/0.9 at the end" in block


def test_without_results_the_block_says_how_to_get_them():
    assert "make bench" in readme_block({})


def test_results_are_read_by_size(tmp_path):
    (tmp_path / "latest-scale.json").write_text(json.dumps(run("scale")), encoding="utf-8")
    (tmp_path / "hostile-after.json").write_text("{}", encoding="utf-8")
    assert list(load_results(tmp_path)) == ["scale"]
