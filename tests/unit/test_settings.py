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


def test_every_setting_is_the_module_constant_of_its_name():
    import core.settings as settings

    names = [s.name for s in settings.SETTINGS]
    assert len(set(names)) == len(names)
    for s in settings.SETTINGS:
        if s.env is None:
            assert getattr(settings, s.name) == s.default, s.name


def test_the_readme_table_of_settings_is_current():
    import re

    from core.settings import markdown_table

    readme = (PACKAGE_DIR / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- settings:start[^>]*-->\n(.*?)<!-- settings:end -->", readme, re.S)
    assert block is not None, "README.md lacks the settings markers"
    assert block.group(1) == markdown_table(), "run scripts/update_data_readme.py"


def test_limits_live_only_in_settings():
    """A limit defined again elsewhere would drift from the documented one."""
    import ast

    from core.settings import SETTINGS

    names = {s.name for s in SETTINGS}
    for path in sorted(PACKAGE_DIR.glob("*/**/*.py")):
        if ".venv" in path.parts or path.name == "settings.py" or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned = {
            t.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            for t in node.targets
            if isinstance(t, ast.Name)
        }
        assert not assigned & names, f"{path}: {assigned & names}"


def test_the_server_neither_watches_files_nor_collects_garbage_after_every_run():
    """Both cost CPU on every run under load (see .streamlit/config.toml and bench/)."""
    assert CONFIG["server"]["fileWatcherType"] == "none"
    assert CONFIG["server"]["runOnSave"] is False
    assert CONFIG["runner"]["postScriptGC"] is False
