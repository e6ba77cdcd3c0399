"""Preflight for a live presentation: is everything that can fail on stage already fine?

`make preflight` (python -m core.serving.preflight) prints each check in plain words and exits 1 if
one fails; the presenter view runs the same checks at its top.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from core.ingest.package import load_package
from core.serving.story import load_story
from core.settings import DATA_DIR, PACKAGE_DIR

CONFIG = PACKAGE_DIR / ".streamlit" / "config.toml"


@dataclass(frozen=True)
class Check:
    """One preflight check: what was checked, whether it passed, and what to do if not."""

    name: str
    ok: bool
    detail: str


def _config_checks(path: Path) -> list[Check]:
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return [Check("App settings", False, f"{path} cannot be read ({exc}).")]
    stats = config.get("browser", {}).get("gatherUsageStats", True)
    font = str(config.get("theme", {}).get("font", ""))
    checks = [
        Check(
            "No usage statistics",
            stats is False,
            "browser.gatherUsageStats is false."
            if stats is False
            else f"Set browser.gatherUsageStats = false in {path}: it sends data to another host.",
        ),
        Check(
            "No web fonts",
            "://" not in font,
            "The theme uses fonts served by the app itself."
            if "://" not in font
            else f"theme.font in {path} loads a font from another host; use a local one.",
        ),
    ]
    return checks


def run_checks(data_dir: Path = DATA_DIR, config: Path = CONFIG) -> list[Check]:
    """Every preflight check, in the order a presenter should read them."""
    result = load_package(data_dir)
    if result.dataset is None:
        listed = "; ".join(str(p) for p in result.problems[:5])
        more = f" (and {len(result.problems) - 5} more)" if len(result.problems) > 5 else ""
        checks = [Check("Data validates", False, f"{listed}{more}")]
        return checks + _config_checks(config)
    ds = result.dataset
    checks = [Check("Data validates", True, f"{len(ds.positions)} observations, all valid.")]
    story = load_story(data_dir, ds)
    if story.problems:
        listed = "; ".join(str(p) for p in story.problems)
        checks.append(Check("Story resolves", False, listed))
    else:
        checks.append(
            Check(
                "Story resolves",
                True,
                f"{len(story.steps)} steps; every country, issue and focus cell exists.",
            )
        )
    return checks + _config_checks(config)


def main() -> int:
    checks = run_checks()
    for check in checks:
        print(f"[{'ok' if check.ok else 'FAIL'}] {check.name}: {check.detail}")
    failed = [c for c in checks if not c.ok]
    print("Ready to present." if not failed else f"{len(failed)} check(s) failed: fix them first.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
