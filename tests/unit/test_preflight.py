"""Preflight: data, story and privacy settings, each reported in plain words."""

from __future__ import annotations

import shutil

from core.serving.preflight import main, run_checks
from core.settings import BUNDLED_DATA_DIR, PACKAGE_DIR

CONFIG = PACKAGE_DIR / ".streamlit" / "config.toml"


def test_bundled_setup_passes_every_check(capsys):
    checks = run_checks(BUNDLED_DATA_DIR, CONFIG)
    assert [c.name for c in checks] == [
        "Data validates", "Story resolves", "No usage statistics", "No web fonts",
    ]  # fmt: skip
    assert all(c.ok for c in checks)
    assert main() == 0
    assert "Ready to present." in capsys.readouterr().out


def test_broken_story_and_settings_are_named(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(BUNDLED_DATA_DIR, pkg)
    story = (pkg / "story.csv").read_text(encoding="utf-8")
    (pkg / "story.csv").write_text(story.replace("KAZ:troop_request", "KAZ:troops"), "utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[browser]\ngatherUsageStats = true\n[theme]\nfont = "https://x/f.css"\n')
    checks = {c.name: c for c in run_checks(pkg, config)}
    assert not checks["Story resolves"].ok
    assert "step 3: cell KAZ:troops" in checks["Story resolves"].detail
    assert (
        not checks["No usage statistics"].ok
        and "gatherUsageStats" in checks["No usage statistics"].detail
    )
    assert not checks["No web fonts"].ok


def test_invalid_data_fails_first(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(BUNDLED_DATA_DIR, pkg)
    (pkg / "countries.csv").write_text("iso3\nKAZ\n", encoding="utf-8")
    checks = run_checks(pkg, CONFIG)
    assert checks[0].name == "Data validates" and not checks[0].ok
    assert "countries.csv" in checks[0].detail
