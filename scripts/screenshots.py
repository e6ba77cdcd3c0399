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
    # (file name, path and query, viewport, cell to click or None)
    ("matrix.png", "/", (1440, 1100), ("KGZ", "anti_war_protests")),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = start_server(ROOT / "app.py", port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            for name, path, (w, h), _cell in SHOTS:
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto(f"http://127.0.0.1:{port}{path}")
                page.wait_for_selector(".js-plotly-plot .yaxislayer-above .ytick text")
                page.wait_for_selector(IDLE)
                page.wait_for_timeout(1000)
                page.screenshot(path=str(OUT / name))
                print("wrote", OUT / name)
            browser.close()
    finally:
        stop_server(proc)


if __name__ == "__main__":
    main()
