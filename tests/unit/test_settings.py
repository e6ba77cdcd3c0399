"""The app's configuration keeps it private and matches the limits it documents."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from core.settings import MAX_UPLOAD_MB, PACKAGE_DIR

CONFIG = tomllib.loads((PACKAGE_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_usage_statistics_are_off():
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_upload_limit_matches_the_documented_one():
    assert CONFIG["server"]["maxUploadSize"] == MAX_UPLOAD_MB


def test_error_details_never_reach_users():
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_data_layer_does_not_import_streamlit():
    for path in Path(PACKAGE_DIR / "core").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not any(name.split(".")[0] == "streamlit" for name in names), path.name
