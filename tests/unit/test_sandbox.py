"""The bounded import worker: same answer as an import in-process, and limits that hold."""

from __future__ import annotations

import os
import subprocess
import sys

from core.ingest.importing import import_file
from core.ingest.sandbox import (
    CANCELLED_RULE,
    MAX_PROBLEMS,
    ImportJob,
    Limits,
    problem_count,
    run_import,
)
from core.settings import BUNDLED_DATA_DIR
from tests.conftest import ROOT

POSITIONS = (BUNDLED_DATA_DIR / "positions.csv").read_bytes()


def test_a_valid_file_gives_the_same_dataset_as_an_import_in_process(dataset):
    here = import_file("positions.csv", POSITIONS, dataset)
    there = run_import("positions.csv", POSITIONS, dataset)
    assert there.problems == []
    assert there.dataset.fingerprint == here.dataset.fingerprint


def test_problems_come_back_as_problems(dataset):
    result = run_import("wide.csv", b"country,troop_request,as_of\nKAZ,7,2022-03-01\n", dataset)
    assert result.dataset is None
    assert "score -2..+2" in result.problems[0].rule
    assert result.problems[0].row == 2


def test_an_import_over_its_time_limit_is_stopped(dataset):
    job = ImportJob("positions.csv", POSITIONS * 30, dataset, limits=Limits(seconds=0.05))
    while job.poll() is None:
        pass
    assert job.result.dataset is None
    assert "took longer than" in job.result.problems[0].rule
    assert not job._process.is_alive()  # stopped, not waited for


def test_an_import_over_its_memory_limit_is_a_problem(dataset):
    result = run_import("positions.csv", POSITIONS, dataset, limits=Limits(memory_mb=1))
    assert result.dataset is None
    assert "memory" in result.problems[0].rule


def test_an_error_in_the_app_reaches_the_user_as_words():
    result = run_import("positions.csv", POSITIONS, None)  # no base dataset: a bug, in effect
    assert result.dataset is None
    assert "error in this app" in result.problems[0].rule
    assert "Traceback" not in result.problems[0].rule


def test_a_cancelled_job_stops_its_worker(dataset):
    job = ImportJob("positions.csv", POSITIONS * 30, dataset)
    job.cancel()
    assert job.result.problems[0].rule == CANCELLED_RULE
    assert not job._process.is_alive()
    job.cancel()  # twice is harmless


def test_a_flood_of_problems_is_cut_to_a_readable_list(dataset):
    row = b"KAZ,troop_request,2022-03-01,daily,maybe,sure,Text.,S99,p. 1\n"
    raw = POSITIONS.splitlines(keepends=True)[0] + row * 3_000  # five broken rules a row
    result = run_import("flood.csv", raw, dataset)
    total = len(import_file("flood.csv", raw, dataset).problems)
    assert total > MAX_PROBLEMS
    assert len(result.problems) == MAX_PROBLEMS + 1
    last = result.problems[-1]
    assert (last.file, last.row) == ("flood.csv", None)
    assert f"{total - MAX_PROBLEMS:,} more problems" in last.rule
    assert problem_count(result.problems) == total
    assert problem_count(result.problems[:3]) == 3


def test_a_worker_never_runs_the_page_script_that_started_it(tmp_path):
    """Under `streamlit run`, `__main__` is the page script a session runs (a module Streamlit
    makes, with that file's path). multiprocessing would have every worker (and the fork server)
    import it first: a whole page in bare mode per import, and its warnings on the server's
    output. Here a page that leaves a mark when run starts an import, as a page does."""
    mark = tmp_path / "page-ran"
    page = tmp_path / "page.py"
    page.write_text(f"open({str(mark)!r}, 'a').write('ran\\n')\n")
    script = (
        "import sys, types\n"
        "from core.ingest.sandbox import run_import\n"
        "from core.ingest.package import load_bundled\n"
        "from core.settings import BUNDLED_DATA_DIR\n"
        "main = types.ModuleType('__main__'); main.__file__ = sys.argv[1]\n"
        "sys.modules['__main__'] = main  # what Streamlit's script runner does\n"
        "raw = (BUNDLED_DATA_DIR / 'positions.csv').read_bytes()\n"
        "result = run_import('positions.csv', raw, load_bundled())\n"
        "print(result.problems == [] and result.dataset is not None)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(page)], cwd=ROOT, capture_output=True, text=True,
        timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.strip() == "True", done.stderr
    assert not mark.exists(), mark.read_text()
