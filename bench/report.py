"""The benchmark's results as Markdown: the table a run prints, and the README block made from
the JSON files in bench/results/ (scripts/update_data_readme.py writes it; a test checks it)."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
LABELS = {"bundled": "Bundled data", "scale": "Synthetic UN-wide package"}
MET = {True: "yes", False: "**no**", None: "not measured"}


def _ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1000:.0f} ms"


def _fps(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.1f} /s"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"  # 1.151 misses a goal of 1.15: show it


def _met(g: dict | None) -> str:
    if g is None:
        return ""
    return MET[g["passed"]] + (f" ({g['note']})" if g.get("note") else "")


def _load(averages: list[float] | None) -> str:
    return "/".join(f"{x:g}" for x in averages or [])


def heading(result: dict) -> str:
    """Which data, when, at which commit, how many rounds, on what machine."""
    d, s, m = result.get("data", {}), result["settings"], result["machine"]
    dirty = " with uncommitted changes" if result.get("dirty") else ""
    load = _load(m.get("load_average")) + " at the start"
    if m.get("load_average_end"):
        load += f", {_load(m['load_average_end'])} at the end"
    return (
        f"**{LABELS.get(result['label'], result['label'])}** ({d.get('countries')} countries × "
        f"{d.get('issues')} issues, {d.get('observations'):,} observations, "
        f"{d.get('change_dates')} change dates): run of {result['date'].replace('T', ' ')} at "
        f"commit `{result['commit'][:8]}`{dirty}; medians of {s['rounds']} rounds "
        f"({s['slides_per_round']} slider presses and {s['play_seconds']:g} s of Play each), "
        f"{m.get('cpus')} CPUs, load average (1/5/15 min) {load}, Chromium {m.get('chromium')}."
    )


def table(result: dict) -> str:
    """One run as a Markdown table: medians, ratios app / baseline, the goals and whether each
    was met."""
    app, base = result["medians"].get("app", {}), result["medians"].get("baseline", {})
    r, g = result.get("ratios", {}), {x["name"]: x for x in result.get("goals", [])}
    modes, speed = result.get("play_mode", {}), result.get("play_speed", {}).get("app")
    stepped = " (stepped by key)" if modes.get("baseline") == "stepped by key" else ""
    play = "Play frame rate" + (f", speed {speed}" if speed else "")
    if modes.get("app") == "stepped by key":
        play += " (stepped by key)"
    rows = [
        ("first draw", _ms(app.get("first_draw_s")), _ms(base.get("first_draw_s")),
         _ratio(r.get("first_draw_s")), g.get("first_draw")),
        ("slider redraw (baseline: its rerun)", _ms(app.get("slider_redraw_s")),
         _ms(base.get("slider_redraw_s")), _ratio(r.get("slider_redraw_s")),
         g.get("slider_redraw")),
        (play, _fps(app.get("play_fps")), _fps(base.get("play_fps")) + stepped,
         _ratio(r.get("play_fps")), g.get("play_fps")),
    ]  # fmt: skip
    memory = result.get("memory")
    if memory:
        heap = memory["samples_mb"]
        every = memory.get("every_s") or heap[-1][0]
        growth = memory["growth"]
        rows.append((
            f"page memory (JS heap after GC) from the start of Play, every {every:g} s to "
            f"{heap[-1][0]:g} s",
            " → ".join(f"{mb:.1f}" for _, mb in heap) + " MB", "",
            "" if growth is None else f"{growth:+.1%}", g.get("memory"),
        ))  # fmt: skip
    if "map_first_draw_s" in app:
        rows.append((
            "map first draw (baseline: its one page)", _ms(app["map_first_draw_s"]),
            _ms(base.get("first_draw_s")), _ratio(r.get("map_first_draw_s")), None,
        ))  # fmt: skip
    if "validation" in result:
        v = result["validation"]
        rows.append((f"validating the whole package ({v['positions']:,} positions)",
                     _ms(v["seconds"]), "", "", None))  # fmt: skip
    lines = ["| measure | app | baseline | app / baseline | goal | met |",
             "|---|---:|---:|---:|---|---|"]  # fmt: skip
    for name, a, b, ratio, goal in rows:
        lines.append(f"| {name} | {a} | {b} | {ratio} | {goal['goal'] if goal else ''} "
                     f"| {_met(goal)} |")  # fmt: skip
    return "\n".join(lines)


def load_results(directory: Path = RESULTS) -> dict[str, dict]:
    """The latest result of each size found in `directory`, by label."""
    out = {}
    for label in LABELS:
        path = directory / f"latest-{label}.json"
        if path.exists():
            out[label] = json.loads(path.read_text(encoding="utf-8"))
    return out


def readme_block(results: dict[str, dict]) -> str:
    """The README's benchmark block: a heading and a table for each size measured."""
    if not results:
        return "No benchmark results yet: run `make bench` and `make bench-scale`."
    parts = []
    for label in LABELS:
        if label in results:
            parts += [heading(results[label]), "", table(results[label]), ""]
    return "\n".join(parts).rstrip("\n")
