"""Benchmark: the app against the minimal baseline app (bench/baseline_app.py), in one run.

Both are served by real `streamlit run` servers and measured in headless Chromium at 1920x1080,
alternating round by round so that both see the same machine load:
- first draw: from navigation to the matrix drawn with its title's date;
- slider redraw: from one key press on 'As of' to the matrix title showing the new date (for the
  baseline, its rerun);
- Play frame rate: redraws with a new date per second while playing at the fastest speed
  offered, over PLAY_SECONDS from the first date (the baseline has no Play: it is stepped by
  ArrowRight as soon as each date is drawn, its fastest);
- map first draw: navigation to /map drawn (the app only, against the baseline's first draw);
then, once, the app's page memory: the JS heap after a forced GC at the start of playing and
after MEMORY_SECONDS of playing (Play starts again from the first date when it ends).

Usage: `make bench` / `make bench-scale` (`python -m bench.run [--scale] [--out FILE]`), with
ROUNDS, PLAY_SECONDS, MEMORY_SECONDS in the environment. `--scale` uses a synthetic UN-wide
package (193 countries x 60 issues x 5 observations, bench/generate.py) and also times its
validation. Writes bench/results/latest-{bundled,scale}.json; then
`python scripts/update_data_readme.py` puts its table in the README.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import probe
from bench.machine import data_size, machine_info, run_info, validation_seconds
from bench.report import table
from bench.stats import frame_rate, frame_times, goals, heap_growth, medians, ratios
from tools.browser import CHROMIUM_ARGS, find_chromium, free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

ROUNDS = int(os.environ.get("ROUNDS", "5"))
PLAY_SECONDS = float(os.environ.get("PLAY_SECONDS", "10"))
MEMORY_SECONDS = float(os.environ.get("MEMORY_SECONDS", "300"))
MEMORY_EVERY = 60.0  # seconds of playing between two heap readings
SLIDES_PER_ROUND = 3


def one_round(browser, urls: dict[str, str], samples: dict, modes: dict, speeds: dict) -> None:
    """First draw, slider presses and Play of each app, then the app's map, in one round."""
    for name, url in urls.items():
        page = probe.open_page(browser, url)
        samples[name]["first_draw_s"].append(probe.first_draw(page))
        probe.settle(page)
        for _ in range(SLIDES_PER_ROUND):
            samples[name]["slider_redraw_s"].append(probe.press(page, "ArrowLeft"))
            probe.settle(page)
        modes[name] = "Play button" if probe.has_play(page) else "stepped by key"
        speeds[name] = probe.fastest_speed(page)
        probe.to_start(page)
        times = frame_times(probe.play(page, PLAY_SECONDS, restart=False))
        samples[name]["play_fps"].append(round(frame_rate(times), 2))
        page.close()
    page = probe.open_page(browser, urls["app"] + "map", key="map")
    samples["app"]["map_first_draw_s"].append(probe.first_draw(page))
    page.close()


def memory_run(browser, url: str) -> dict:
    page = probe.open_page(browser, url)
    probe.first_draw(page)
    probe.settle(page)
    mode = "Play button" if probe.has_play(page) else "stepped by key"
    speed = probe.fastest_speed(page)
    probe.to_start(page)
    heap = probe.memory_while_playing(page, MEMORY_SECONDS, MEMORY_EVERY)
    page.close()
    return {
        "seconds": heap[-1][0],
        "mode": mode,
        "speed": speed,
        "every_s": MEMORY_EVERY,
        "samples_mb": [[s, round(b / 2**20, 2)] for s, b in heap],
        "growth": heap_growth(heap),
    }


def measure(label: str, env: dict[str, str]) -> dict:
    ports = {"app": free_port(), "baseline": free_port()}
    scripts = {"app": ROOT / "app.py", "baseline": ROOT / "bench" / "baseline_app.py"}
    servers = {name: start_server(scripts[name], ports[name], env=env) for name in ports}
    urls = {name: f"http://127.0.0.1:{port}/" for name, port in ports.items()}
    samples = {name: {m: [] for m in ("first_draw_s", "slider_redraw_s", "play_fps")}
               for name in urls}  # fmt: skip
    samples["app"]["map_first_draw_s"] = []
    modes: dict[str, str] = {}
    machine, started = machine_info(), run_info()  # the load and the time before the run
    speeds: dict[str, str | None] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            for url in urls.values():  # warm-up: imports, caches, the first Plotly load
                page = probe.open_page(browser, url)
                probe.first_draw(page)
                page.close()
            for _ in range(ROUNDS):
                one_round(browser, urls, samples, modes, speeds)
                print(".", end="", flush=True)
            memory = memory_run(browser, urls["app"]) if MEMORY_SECONDS > 0 else None
            chromium = browser.version
            load_after = [round(x, 2) for x in os.getloadavg()]
            browser.close()
    finally:
        for proc in servers.values():
            stop_server(proc)
    meds = medians(samples)
    return {
        "label": label,
        **started,
        "machine": {**machine, "load_average_end": load_after, "chromium": chromium},
        "settings": {
            "rounds": ROUNDS,
            "slides_per_round": SLIDES_PER_ROUND,
            "play_seconds": PLAY_SECONDS,
            "memory_seconds": MEMORY_SECONDS,
        },
        "play_mode": modes,
        "play_speed": speeds,
        "medians": meds,
        "ratios": ratios(meds),
        "memory": memory,
        "samples": samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="store_true", help="the synthetic UN-wide package")
    parser.add_argument("--out", type=Path, help="the JSON file (default bench/results/latest-…)")
    args = parser.parse_args()
    env, label, data_dir = {}, "bundled", ROOT / "data"
    extra = {}
    if args.scale:
        from bench.generate import generate

        label, data_dir = "scale", Path(tempfile.mkdtemp(prefix="bench-scale-"))
        for name, frame in generate().items():
            frame.to_csv(data_dir / f"{name}.csv", index=False)
        rows, seconds = validation_seconds(data_dir)
        extra["validation"] = {"positions": rows, "seconds": seconds}
        env = {"DASHBOARD_DATA_DIR": str(data_dir)}
    result = {**measure(label, env), "data": data_size(data_dir), **extra}
    result["goals"] = goals(result)
    out = args.out or RESULTS / f"latest-{label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {out}\n")
    print(table(result))


if __name__ == "__main__":
    main()
