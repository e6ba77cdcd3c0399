"""The folders are layers: each imports only the layers below it, and only ui/ and the pages
import Streamlit (see docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.settings import PACKAGE_DIR

ALLOWED = {
    # package: the first-party packages its modules may import (besides itself)
    "core.model": {"core.settings"},
    "core.ingest": {"core.settings", "core.model"},
    "core.analysis": {"core.settings", "core.model"},
    "core.serving": {"core.settings", "core.model", "core.ingest", "core.analysis"},
    "figures": {"core.settings", "core.model", "core.analysis"},
    "ui": {
        "core.settings",
        "core.model",
        "core.ingest",
        "core.analysis",
        "core.serving",
        "figures",
    },
    "tools": set(),
}
FIRST_PARTY = ("core", "figures", "ui", "tools", "app_pages")
NO_STREAMLIT = ["core", "figures", "tools", "scripts"]


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE_DIR / folder).rglob("*.py"))


def imports(path: Path) -> list[str]:
    """Every module `path` imports, absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    return names


def layer_of(module: str) -> str:
    """'core.model.dataset' -> 'core.model'; 'figures.matrix' -> 'figures'."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "core" else parts[0]


def test_every_core_module_is_in_a_layer():
    for path in modules("core"):
        relative = path.relative_to(PACKAGE_DIR / "core")
        assert len(relative.parts) == 2 or relative.name in {"__init__.py", "settings.py"}, path


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(package):
    for path in modules(package.replace(".", "/")):
        for name in imports(path):
            if name.split(".")[0] not in FIRST_PARTY:
                continue
            assert layer_of(name) in ALLOWED[package] | {package}, f"{path}: {name}"


@pytest.mark.parametrize("folder", NO_STREAMLIT)
def test_only_ui_and_pages_import_streamlit(folder):
    for path in modules(folder):
        assert not any(n.split(".")[0] == "streamlit" for n in imports(path)), path


def test_the_check_sees_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit as st\nfrom ui.state import dataset\n", encoding="utf-8")
    assert [layer_of(n) for n in imports(bad)] == ["streamlit", "ui"]


def test_the_contract_of_addresses_is_pure():
    """ui/contract.py is read by scripts and tests without a running app."""
    names = imports(PACKAGE_DIR / "ui" / "contract.py")
    assert not [n for n in names if n.split(".")[0] in {"streamlit", "ui", "app_pages"}], names
