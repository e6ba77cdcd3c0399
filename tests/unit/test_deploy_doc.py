"""docs/deploy.md against the code: every environment setting, every `make` target, Streamlit
option and file it names exists."""

from __future__ import annotations

import re

import pytest
from streamlit import config

from core.settings import PACKAGE_DIR, SETTINGS

DOC = (PACKAGE_DIR / "docs" / "deploy.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("env", sorted(s.env for s in SETTINGS if s.env))
def test_every_environment_setting_is_described(env):
    assert f"`{env}`" in DOC


def test_the_make_targets_it_names_exist():
    named = set(re.findall(r"make ([a-z][a-z-]*)", DOC))
    targets = set(re.findall(r"^([a-z][a-z-]*):", (PACKAGE_DIR / "Makefile").read_text(), re.M))
    assert named and named <= targets, named - targets


def test_the_streamlit_options_it_names_exist():
    named = set(re.findall(r"`(server\.[A-Za-z]+)`", DOC))
    assert "server.cookieSecret" in named
    assert named <= set(config._config_options_template), named - set(
        config._config_options_template
    )


def test_the_files_it_names_exist():
    named = set(re.findall(r"`((?:deploy|core|tools|tests)/[\w./]+)`", DOC))
    assert "deploy/nginx.conf.template" in named
    assert [p for p in sorted(named) if not (PACKAGE_DIR / p).exists()] == []
