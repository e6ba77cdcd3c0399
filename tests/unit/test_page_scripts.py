"""Page scripts: nothing is drawn by accident. Streamlit's "magic" writes any bare expression at
the top level of a page to the page, so a string meant as a constant's docstring would appear on
screen (it did, above the presenter's slides)."""

from __future__ import annotations

import ast

import pytest

from core.settings import PACKAGE_DIR

SCRIPTS = [*sorted((PACKAGE_DIR / "app_pages").glob("*.py")), PACKAGE_DIR / "app.py"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_bare_string_below_the_docstring(script):
    body = ast.parse(script.read_text(encoding="utf-8")).body
    strays = [
        node.lineno
        for node in body[1:]
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    ]
    assert strays == [], f"{script.name}: bare literals at lines {strays} would be drawn"
