"""The benchmark's arithmetic, pure: dates from titles, frames, medians, ratios and the goals of
issue 10, judged on one run's samples."""

from __future__ import annotations

import statistics

MARK = "as of "
PLAY_FPS_GOAL = {"bundled": 10.0, "scale": 2.0}
SLIDER_GOAL = 0.5  # the app's slider redraw over the baseline's rerun, at most
FIRST_DRAW_GOAL = 1.15  # the app's first draw over the baseline's, at most
MEMORY_GOAL_SECONDS = 300
# "No growth" allows this much: the heap after a forced GC varies by a few per cent from one
# reading to the next (caches of fonts and of Plotly's text measurements fill and settle).
HEAP_TOLERANCE = 0.10
MEASURES = ("first_draw_s", "slider_redraw_s", "play_fps", "map_first_draw_s")
STEPPED = "no Play button: the app was stepped by key"
AGAINST = {"map_first_draw_s": "first_draw_s"}  # the baseline has one page: no map


def date_of(text: str | None) -> str | None:
    """The date at the end of a title '... as of 24 Feb 2022', or None when it has none."""
    if not text or MARK not in text:
        return None
    date = text.rsplit(MARK, 1)[1].strip()
    return date or None


def frame_times(changes: list[dict]) -> list[float]:
    """The times (ms) of the frames among title changes: a frame is a redraw with a new date."""
    times, last = [], None
    for change in changes:
        date = date_of(change["text"])
        if date is not None and date != last:
            times.append(change["t"])
            last = date
    return times


def frame_rate(times: list[float]) -> float:
    """Frames per second between the first and the last frame (0 with fewer than two)."""
    if len(times) < 2 or times[-1] <= times[0]:
        return 0.0
    return (len(times) - 1) / ((times[-1] - times[0]) / 1000)


def medians(samples: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    """The median of each measure of each app, leaving out measures without samples."""
    return {
        name: {m: statistics.median(v) for m, v in measures.items() if v}
        for name, measures in samples.items()
    }


def ratios(meds: dict[str, dict[str, float]]) -> dict[str, float]:
    """App over baseline for each measure both have (the map against the baseline's one page)."""
    out = {}
    for measure, value in meds.get("app", {}).items():
        base = meds.get("baseline", {}).get(AGAINST.get(measure, measure))
        if base:
            out[measure] = value / base
    return out


def heap_growth(samples: list[list[float]]) -> float | None:
    """The heap's growth from the first sample to the last, as a fraction of the first."""
    if len(samples) < 2 or not samples[0][1]:
        return None
    return samples[-1][1] / samples[0][1] - 1


def goal(name: str, words: str, value: float | None, passed: bool | None, note: str = "") -> dict:
    return {"name": name, "goal": words, "value": value, "passed": passed, "note": note}


def goals(result: dict) -> list[dict]:
    """Each goal of issue 10 with the value measured and whether it was met (None: not
    measured)."""
    r = result.get("ratios", {})
    slider, first = r.get("slider_redraw_s"), r.get("first_draw_s")
    out = [
        goal("slider_redraw", f"slider redraw ≤ {SLIDER_GOAL}× the baseline's rerun", slider,
             None if slider is None else slider <= SLIDER_GOAL),
        goal("first_draw", f"first draw ≤ {FIRST_DRAW_GOAL}× the baseline's", first,
             None if first is None else first <= FIRST_DRAW_GOAL),
    ]  # fmt: skip
    target = PLAY_FPS_GOAL.get(result.get("label", ""), PLAY_FPS_GOAL["bundled"])
    fps = result.get("medians", {}).get("app", {}).get("play_fps")
    mode = result.get("play_mode", {}).get("app")
    words = f"Play ≥ {target:g} frames/s"
    if fps is not None and mode == "Play button":
        out.append(goal("play_fps", words, fps, fps >= target))
    else:
        out.append(goal("play_fps", words, fps, None, STEPPED if fps is not None else ""))
    memory = result.get("memory") or {}
    growth = memory.get("growth")
    words = f"no heap growth after {MEMORY_GOAL_SECONDS // 60} min of Play"
    if growth is None:
        out.append(goal("memory", words, None, None))
    else:
        seconds = memory.get("seconds", 0)
        short = "" if seconds >= MEMORY_GOAL_SECONDS else f"measured over {seconds:g} s only"
        if memory.get("mode") != "Play button":
            short = "; ".join(filter(None, [short, STEPPED]))
        passed = growth <= HEAP_TOLERANCE if not short else None
        later = heap_growth((memory.get("samples_mb") or [])[1:])
        if later is not None and len(memory["samples_mb"]) > 2:
            # a warm-up levels off, a leak keeps climbing: the lead reads both
            since = f"{later:+.1%} from the reading after {memory['samples_mb'][1][0]:g} s"
            short = "; ".join(filter(None, [short, since]))
        out.append(goal("memory", words, growth, passed, short))
    return out
