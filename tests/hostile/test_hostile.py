"""Every file of the hostile corpus through the bounded import worker, against the manifest.

Each row of `manifest.csv` runs through `core.ingest.sandbox.run_import` (a worker process with a
wall-clock and a memory limit) and must end as the manifest says (see `expect.py`): refused with
a problem in the right words, at the right row and column, naming the right file and member; or
imported, with the summaries kept exactly, the data equal to the bundled data where the file
only re-encodes it, the same dataset after a trip through the store, and exports that no
spreadsheet runs as a formula.

Heavy files (bombs and freezes) are marked `heavy`; `-m "not heavy"` leaves them out. They run
with a time limit of HOSTILE_SECONDS (20 by default) instead of the app's, so that the file
takes a few minutes at most. Rows that fail show what the import path still gets wrong; they
are not marked xfail on purpose (`pytest -rA tests/hostile` lists them).
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict
from pathlib import Path

import pytest

from core.ingest.conform import base_tables
from core.ingest.package import load_package, load_tables
from core.model.spreadsheet import PLAIN_NUMBER
from core.serving.export import csv_bytes
from core.serving.store import DatasetStore
from core.settings import BUNDLED_DATA_DIR
from tests.hostile.expect import failures, load_manifest
from tests.hostile.files import FILES, build, import_options

try:
    from core.ingest.sandbox import Limits, run_import
except ImportError:  # a checkout without the worker: the same call, in a bare subprocess
    from tests.hostile.shim import Limits, run_import

SECONDS = float(os.environ.get("HOSTILE_SECONDS", "20"))
ROWS = load_manifest()
FORMULA = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def base():
    return load_package(BUNDLED_DATA_DIR).dataset


def test_the_manifest_describes_every_file_once():
    assert [r["name"] for r in ROWS] == list(FILES)
    for row in ROWS:
        spec = FILES[row["name"]]
        assert (row["file_name"], row["class"]) == (spec.file_name, spec.cls)
        assert set(row["expected"].split("|")) <= {"imported", "refused"}
        assert row["note"]


def test_no_committed_file_of_the_corpus_is_large():
    for path in Path(__file__).parent.iterdir():
        assert path.stat().st_size < 50 * 1024, path


def _case(row):
    marks = [pytest.mark.heavy] if FILES[row["name"]].heavy else []
    return pytest.param(row, id=row["name"], marks=marks)


@pytest.mark.parametrize("row", [_case(r) for r in ROWS])
def test_hostile_file(row, base, tmp_path):
    spec = FILES[row["name"]]
    limits = Limits(seconds=SECONDS) if spec.heavy else Limits()
    result = run_import(
        spec.file_name, build(spec.name), base, **import_options(spec.name), limits=limits
    )
    ds = result.dataset
    imported = ds is not None and not result.problems
    kept = set(spec.keep) <= set(ds.positions["summary"]) if imported else None
    same = ds.fingerprint == base.fingerprint if imported and spec.same_as_base else None
    wrong = failures(row, imported, [asdict(p) for p in result.problems], kept, same)
    if imported and not wrong:
        wrong += _round_trip(ds, tmp_path) + (_export_runs_formulas(ds) if spec.export_safe else [])
    assert not wrong, f"{row['name']}: {'; '.join(wrong)} — {row['note']}"


def _round_trip(ds, tmp_path) -> list[str]:
    store = DatasetStore(tmp_path / "s.sqlite")
    tables, _ = store.get(store.put(base_tables(ds)))
    again = load_tables(tables)
    if again.dataset is None:
        return [f"the stored copy no longer loads: {again.problems[0]}"]
    if again.dataset.fingerprint != ds.fingerprint:
        return ["the stored copy differs from what was imported"]
    return []


def _export_runs_formulas(ds) -> list[str]:
    text = csv_bytes(ds.positions).decode("utf-8-sig")
    lines = re.split(r"\r\n|\r|\n", text)
    bad = [x for x in lines if x.startswith(FORMULA) and not PLAIN_NUMBER.fullmatch(x)]
    return [f"an exported CSV line starts a formula: {bad[0][:60]!r}"] if bad else []
