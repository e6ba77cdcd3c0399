"""Regenerate the README screenshots: `.venv/bin/python scripts/screenshots.py`."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

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
    ("matrix.png", "/", (1440, 1100), ".st-key-matrix .main-svg"),
    ("evidence.png", "/?countries=KGZ&countries=UZB&as_of=2022-04-01"
     "&cell=KGZ:anti_war_protests", (1280, 1300), ".st-key-evidence"),
    ("timeline.png", "/timeline", (1440, 1100), ".st-key-timeline .main-svg"),
    ("compare.png", "/compare?countries=KAZ&countries=KGZ&countries=UZB", (1280, 1500),
     ".st-key-agreement .main-svg"),
    ("changes.png", "/changes?countries=KGZ&countries=UZB&countries=KAZ", (1280, 900),
     "[data-testid=stDataFrame]"),
    ("present-step.png", "/present?step=3", (1280, 720), ".st-key-present-chart .main-svg"),
    # 2022-2025 at a glance: one state's record, what moved, and two states side by side
    ("timeline-kazakhstan.png", "/timeline?countries=KAZ&period=All%20dates", (1440, 1000),
     ".st-key-timeline .main-svg"),
    ("changes-2022-2025.png", "/changes?from=2022-03-31&to=2025-12-31&categories=Diplomacy"
     "&categories=Sovereignty&categories=Alliances+%26+security&categories=Economy"
     "&categories=Domestic", (1280, 1100),
     "[data-testid=stDataFrame]"),
    ("compare-armenia-kazakhstan.png", "/compare?countries=ARM&countries=KAZ&as_of=2025-12-31",
     (1280, 1500), ".st-key-agreement .main-svg"),
    ("present-contrast.png", "/present?step=7&contrast=true", (1280, 720),
     ".st-key-present-chart .main-svg"),
    ("map.png", "/map?show=dpr_lpr_recognition", (1440, 1250), ".st-key-map .main-svg"),
    ("map-index-caucasus.png", "/map?region=South+Caucasus", (1280, 1150),
     ".st-key-map .main-svg"),
    ("present-map-1280.png", "/present?step=1", (1280, 720), ".st-key-present-chart .main-svg"),
    ("present-map-1920.png", "/present?step=1", (1920, 1080), ".st-key-present-chart .main-svg"),
]  # fmt: skip


def data_shot(browser, base: str) -> None:
    """The data page after a file with a problem was refused."""
    import tempfile

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/data")
    page.wait_for_selector(IDLE)
    bad = Path(tempfile.mkdtemp()) / "my-tracker.csv"
    bad.write_text(
        "country,as_of,troop_request,UNGA ES-11/1\nKazakhstan,2022-03-01,refused,abstain\n"
        "Narnia,2022-03-01,sent,yes\nKyrgyz Republic,2022-03-01,7,abstain\n",
        encoding="utf-8",
    )
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(bad)
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector(".st-key-problems")
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(800)
    page.screenshot(path=str(OUT / "data-problems.png"))
    print("wrote", OUT / "data-problems.png")


def room_shots(browser, base: str) -> None:
    """The presenter's laptop and the audience's projector, in one room at step 5."""
    presenter = browser.new_page(viewport={"width": 1280, "height": 1250})
    presenter.goto(f"{base}/present?step=5")
    presenter.wait_for_selector(".st-key-present-chart .main-svg")
    presenter.get_by_text("Present to a room").click()
    presenter.get_by_role("button", name="Start a room").click()
    presenter.wait_for_selector(".st-key-notes")
    presenter.wait_for_selector(IDLE)
    presenter.wait_for_timeout(1000)
    presenter.screenshot(path=str(OUT / "present-presenter.png"))
    code = presenter.url.split("room=")[1].split("&")[0]
    audience = browser.new_page(viewport={"width": 1920, "height": 1080})
    audience.goto(f"{base}/present?room={code}")
    audience.wait_for_selector(".st-key-present-chart .main-svg")
    audience.wait_for_timeout(1500)
    audience.screenshot(path=str(OUT / "present-audience.png"))
    print("wrote", OUT / "present-presenter.png", OUT / "present-audience.png")


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
            room_shots(browser, f"http://127.0.0.1:{port}")
            data_shot(browser, f"http://127.0.0.1:{port}")
            browser.close()
    finally:
        stop_server(proc)


if __name__ == "__main__":
    main()
