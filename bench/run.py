"""Benchmark: the app against the minimal baseline app, alternating, in one run.

Measures in headless Chromium with Playwright, against two real `streamlit run` servers:
- first draw: from navigation to the matrix drawn with its title;
- map first draw: from navigation to /map drawn with its title (the app only; its ratio is
  against the baseline's first draw, the minimal app's one page);
- slider redraw: from one key press on 'As of' to the matrix redrawn with the new date.
Reports medians and the ratios app / baseline. Usage: `make bench` (ROUNDS=… to change).
`make bench-scale` does the same on a synthetic UN-wide package (193 countries x 60 issues x 5
observations, from bench/generate.py) and also times its validation.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tools.browser import (
    CHROMIUM_ARGS,
    IDLE,
    find_chromium,
    free_port,
    start_server,
    stop_server,
)

ROOT = Path(__file__).resolve().parent.parent

ROUNDS = int(os.environ.get("ROUNDS", "10"))
SLIDES_PER_ROUND = 3
RESULTS = ROOT / "bench" / "results"
MATRIX_TITLE = ".st-key-matrix .js-plotly-plot .gtitle"
MAP_TITLE = ".st-key-map .js-plotly-plot .gtitle"


def title(page: Page) -> str:
    return page.locator(MATRIX_TITLE).last.text_content() or ""


def first_draw(page: Page, url: str, selector: str = MATRIX_TITLE) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(selector, timeout=60_000)
    elapsed = time.perf_counter() - start
    page.wait_for_selector(IDLE)
    return elapsed


def slider_redraw(page: Page) -> float:
    before = title(page)
    date = before.rsplit("as of ", 1)[1]
    page.get_by_role("slider").focus()
    start = time.perf_counter()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "([sel, old]) => { const t = [...document.querySelectorAll(sel)].pop();"
        " return t && !t.textContent.endsWith(old); }",
        arg=[MATRIX_TITLE, date],
        timeout=60_000,
    )
    elapsed = time.perf_counter() - start
    page.wait_for_selector(IDLE)
    return elapsed


def validation_seconds(data_dir: Path, repeats: int = 5) -> tuple[int, float]:
    """Rows of positions and the median time to validate and type the whole package."""
    from core.ingest.package import load_tables, read_package_dir
    from core.model.schema import load_schema

    tables, _ = read_package_dir(data_dir, load_schema())
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = load_tables(tables)
        times.append(time.perf_counter() - start)
        assert result.ok, result.problems[:3]
    return len(tables["positions"]), statistics.median(times)


def main() -> None:
    env: dict[str, str] = {}
    label = "bundled"
    if "--scale" in sys.argv:
        import tempfile

        from bench.generate import generate

        data_dir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
        for name, frame in generate().items():
            frame.to_csv(data_dir / f"{name}.csv", index=False)
        rows, seconds = validation_seconds(data_dir)
        print(f"validation of {rows:,} positions (whole package): {seconds * 1000:.0f} ms")
        env = {"DASHBOARD_DATA_DIR": str(data_dir)}
        label = "scale"
    ports = {"app": free_port(), "baseline": free_port()}
    servers = {
        "app": start_server(ROOT / "app.py", ports["app"], env=env),
        "baseline": start_server(ROOT / "bench" / "baseline_app.py", ports["baseline"], env=env),
    }
    samples: dict[str, dict[str, list[float]]] = {
        name: {"first_draw": [], "slider_redraw": []} for name in servers
    }
    samples["app"]["map_first_draw"] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            for name in servers:  # warm-up: imports, caches, first Plotly load
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                first_draw(page, f"http://127.0.0.1:{ports[name]}/")
                page.close()
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            first_draw(page, f"http://127.0.0.1:{ports['app']}/map", MAP_TITLE)
            page.close()
            for _ in range(ROUNDS):
                for name in servers:  # alternate so both see the same machine load
                    page = browser.new_page(viewport={"width": 1920, "height": 1080})
                    samples[name]["first_draw"].append(
                        first_draw(page, f"http://127.0.0.1:{ports[name]}/")
                    )
                    for _ in range(SLIDES_PER_ROUND):
                        samples[name]["slider_redraw"].append(slider_redraw(page))
                    page.close()
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                samples["app"]["map_first_draw"].append(
                    first_draw(page, f"http://127.0.0.1:{ports['app']}/map", MAP_TITLE)
                )
                page.close()
            browser.close()
    finally:
        for proc in servers.values():
            stop_server(proc)
    report(samples, label)


def report(samples: dict[str, dict[str, list[float]]], label: str) -> None:
    medians = {
        name: {metric: statistics.median(values) for metric, values in metrics.items()}
        for name, metrics in samples.items()
    }
    against = {"map_first_draw": "first_draw"}  # the baseline has no map: its one page
    ratios = {
        metric: medians["app"][metric] / medians["baseline"][against.get(metric, metric)]
        for metric in medians["app"]
    }
    RESULTS.mkdir(exist_ok=True)
    out = {"rounds": ROUNDS, "medians_s": medians, "ratios": ratios, "samples_s": samples}
    (RESULTS / f"latest-{label}.json").write_text(json.dumps(out, indent=2))
    print(f"{label} data, rounds: {ROUNDS} (slider: {SLIDES_PER_ROUND} presses per round)")
    print("| measure | app (median) | baseline (median) | app / baseline |")
    print("|---|---:|---:|---:|")
    for metric in ("first_draw", "slider_redraw", "map_first_draw"):
        base = medians["baseline"][against.get(metric, metric)]
        print(
            f"| {metric.replace('_', ' ')} | {medians['app'][metric] * 1000:.0f} ms "
            f"| {base * 1000:.0f} ms | {ratios[metric]:.2f} |"
        )


if __name__ == "__main__":
    main()
