"""The load harness end to end, for a few seconds, against a real `streamlit run` server: every
phase runs, reports its requests and samples the server, and the app makes no error. (How fast
the audience follows is measured, not asserted: on a busy machine a step may be missed.)"""

from __future__ import annotations

import json

import pytest

import bench.load.run

pytestmark = pytest.mark.load


def test_a_short_load_run_measures_every_phase(tmp_path, monkeypatch):
    monkeypatch.setenv("LOAD_STEP_SECONDS", "3")  # the presenter steps every 3 s
    monkeypatch.setattr(bench.load.run, "QUIET_WAIT", 3.0)
    out = tmp_path / "load.json"
    bench.load.run.main(["--repeats", "2", "--sessions", "2", "--explorers", "2",
                         "--audience", "2", "--seconds", "20", "--out", str(out)])  # fmt: skip
    result = json.loads(out.read_text())

    assert result["config"]["replicas"] == 1 and result["config"]["explorers"] == 2
    single = result["single_rerun"]
    assert single["errors"] == 0 and len(single["samples_s"]) == 2
    assert result["baseline_rerun"]["errors"] == 0 and single["ratio_to_baseline"] > 0
    assert result["memory"]["sessions"] == 2 and result["memory"]["rss_after_mb"] > 50

    explorers = result["explorers"]["requests"]
    assert explorers["open /"]["count"] >= 2
    assert all(s["errors"] == 0 for s in explorers.values()), explorers
    audience = result["audience"]["requests"]
    assert audience["audience: join"]["count"] == 2
    assert audience["audience: join"]["errors"] == 0, audience
    assert audience["present: next step"]["errors"] == 0, audience
    follow = audience["follow"]
    assert follow["count"] > follow["errors"], audience  # at least one move followed
    assert result["audience"]["overall"]["p50_s"] >= 0
    assert result["server_usage"]["samples"] > 10 and result["server_usage"]["cpu_max"] > 0
