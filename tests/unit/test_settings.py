"""The app's configuration keeps it private and matches the limits it documents."""

from __future__ import annotations

import tomllib

from core.settings import MAX_UPLOAD_MB, PACKAGE_DIR

CONFIG = tomllib.loads((PACKAGE_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_usage_statistics_are_off():
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_upload_limit_matches_the_documented_one():
    assert CONFIG["server"]["maxUploadSize"] == MAX_UPLOAD_MB


def test_error_details_never_reach_users():
    assert CONFIG["client"]["showErrorDetails"] == "none"
