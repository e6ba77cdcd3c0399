"""A package that breaks the rules is reported in plain words, never as a traceback."""

from __future__ import annotations

import shutil

import pytest

from core.settings import BUNDLED_DATA_DIR
from tests.app.helpers import run_page
from ui import state as data_access


@pytest.fixture
def broken_package(tmp_path, monkeypatch):
    target = tmp_path / "pkg"
    shutil.copytree(BUNDLED_DATA_DIR, target)
    text = (target / "positions.csv").read_text(encoding="utf-8")
    (target / "positions.csv").write_text(text.replace(",high,", ",certain,", 2), encoding="utf-8")
    monkeypatch.setattr(data_access, "DATA_DIR", target)
    data_access._configured.clear()
    yield target
    data_access._configured.clear()


@pytest.mark.parametrize("page", [None, "timeline.py", "about.py"])
def test_invalid_package_shows_a_problem_table(broken_package, page):
    at = run_page(page)
    assert "breaks 2 rule(s)" in at.error[0].value
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["file", "row", "column", "value", "rule"]
    assert set(problems["value"]) == {"certain"}
    assert set(problems["column"]) == {"confidence"}
    assert all("one of: high, medium, low" in r for r in problems["rule"])
    assert at.get("plotly_chart") == []
