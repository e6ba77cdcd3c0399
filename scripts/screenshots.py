"""Regenerate the README screenshots: `.venv/bin/python scripts/screenshots.py`."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.browser import (
    CHROMIUM_ARGS,
    IDLE,
    ROOT,
    find_chromium,
    free_port,
    start_server,
    stop_server,
)

OUT = ROOT / "docs" / "screenshots"
SHOTS = [
    # (file name, path and query, viewport, CSS selector to wait for)
    ("matrix.png", "/?as_of=2022-03-20", (1440, 1100), ".st-key-matrix .main-svg"),
    ("evidence.png", "/?countries=KGZ&countries=UZB&as_of=2022-04-01"
     "&cell=KGZ:anti_war_protests", (1280, 1300), ".st-key-evidence"),
    ("timeline.png", "/timeline", (1440, 1100), ".st-key-timeline .main-svg"),
    ("compare.png", "/compare?countries=KAZ&countries=KGZ&countries=UZB", (1280, 1500),
     ".st-key-agreement .main-svg"),
    ("changes.png", "/changes?countries=KGZ&countries=UZB&countries=KAZ", (1280, 900),
     "[data-testid=stDataFrame]"),
]  # fmt: skip


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = start_server(ROOT / "app.py", port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            for name, path, (w, h), ready in SHOTS:
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto(f"http://127.0.0.1:{port}{path}")
                page.wait_for_selector(ready)
                page.wait_for_selector(IDLE)
                page.wait_for_timeout(1000)
                page.screenshot(path=str(OUT / name))
                print("wrote", OUT / name)
            browser.close()
    finally:
        stop_server(proc)


if __name__ == "__main__":
    main()
