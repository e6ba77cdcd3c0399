"""Shared fixtures: the bundled package as frames of strings, fresh for each test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Imported datasets made by tests go to a throw-away store, never the developer's own.
os.environ.setdefault("DASHBOARD_STORE_DIR", tempfile.mkdtemp(prefix="dashboard-store-"))

from core.ingest.package import load_bundled, read_package_dir  # noqa: E402
from core.model.schema import load_schema  # noqa: E402
from core.settings import BUNDLED_DATA_DIR  # noqa: E402

# pg_server, pg_url: a real PostgreSQL for the store and rooms; browser: the run's one Chromium
pytest_plugins = ["tests.postgres", "tests.chromium"]


@pytest.fixture
def schema():
    return load_schema()


@pytest.fixture
def tables(schema):
    """The bundled tables as strings, a private copy the test may change."""
    frames, problems = read_package_dir(BUNDLED_DATA_DIR, schema)
    assert problems == []
    return frames


@pytest.fixture(scope="session")
def dataset():
    return load_bundled()


def dataset_with(tables, rows):
    """The bundled codebook with only the observations `rows` ((country, issue, date, stance)
    tuples, dated to the day, cited to S1) and no further sources."""
    import pandas as pd

    from core.ingest.package import load_tables

    tables["positions"] = pd.DataFrame(
        [
            {"country": c, "issue": i, "date": d, "date_precision": "day", "stance": s,
             "confidence": "medium", "summary": "s", "source": "S1", "locator": "l"}
            for c, i, d, s in rows
        ]
    )  # fmt: skip
    tables["observation_sources"] = tables["observation_sources"].iloc[0:0]
    result = load_tables(tables)
    assert result.ok, result.problems[:3]
    return result.dataset
