"""What a benchmark run records besides its timings: the machine, the commit, the data's size."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _first(path: str, prefix: str) -> str:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    return next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith(prefix)), "")


def machine_info() -> dict:
    """CPU, memory, load and the versions that shape the timings."""
    return {
        "platform": platform.platform(),
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor(),
        "cpus": os.cpu_count(),
        "memory": _first("/proc/meminfo", "MemTotal"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        **{name: version(name) for name in ("streamlit", "plotly", "pandas", "playwright")},
    }


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def run_info() -> dict:
    """When the run started (UTC) and at which commit; `dirty` when tracked files other than
    results had changes (an untracked file, such as a venv link, is no change of the code)."""
    status = _git("status", "--porcelain", "--untracked-files=no").splitlines()
    changes = [line for line in status if "bench/results/" not in line]
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": _git("rev-parse", "HEAD"),
        "dirty": bool(changes),
    }


def data_size(data_dir: Path) -> dict:
    """Countries, issues, observations and change dates of the package in `data_dir`."""
    from core.analysis.query import change_dates
    from core.ingest.package import load_package

    ds = load_package(data_dir).dataset
    return {
        "countries": len(ds.countries),
        "issues": len(ds.issues),
        "observations": len(ds.positions),
        "change_dates": len(change_dates(ds)),
    }


def validation_seconds(data_dir: Path, repeats: int = 5) -> tuple[int, float]:
    """Rows of positions and the median time to validate and type the whole package."""
    from core.ingest.package import load_tables, read_package_dir
    from core.model.schema import load_schema

    tables, _ = read_package_dir(data_dir, load_schema())
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = load_tables(tables)
        times.append(time.perf_counter() - start)
        assert result.ok, result.problems[:3]
    return len(tables["positions"]), statistics.median(times)
