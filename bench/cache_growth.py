"""Memory per imported dataset: RSS and Streamlit's cache sizes as one server opens more of them.

Imports DATASETS small files (each a different one-row change to the bundled data, so each is
a dataset of its own with its own fingerprint) into a store in a temporary folder, starts the
app on it (127.0.0.1 only), opens the bundled matrix, then each dataset's `/?data=<id>` link in
a session of its own, and reads after each: the server's RSS and the bytes each cache holds
(Streamlit's /_stcore/metrics). Prints one JSON document.

Usage: `PYTHONPATH=. .venv/bin/python -m bench.cache_growth` (DATASETS=20 by default).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import urllib.request
from pathlib import Path

from bench.rerun_time import Session, rss_mb
from core.ingest.importing import import_file
from core.ingest.package import load_package
from core.serving.store import connect
from core.settings import DATA_DIR, STORE_DIR_ENV
from tools.browser import free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
DATASETS = int(os.environ.get("DATASETS", "20"))
CACHE_LINE = re.compile(r'^cache_memory_bytes\{cache_type="(\w+)",cache="([^"]*)"\} (\d+)$')


def cache_bytes(port: int) -> dict[str, int]:
    """Bytes held by each st.cache_data / st.cache_resource cache, from /_stcore/metrics."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=30) as r:
        text = r.read().decode()
    sizes = {}
    for line in text.splitlines():
        if match := CACHE_LINE.match(line):
            sizes[match[2] or match[1]] = int(match[3])
    return sizes


def make_store(folder: Path, count: int) -> list[str]:
    """`count` imported datasets, each the bundled data with one different observation."""
    bundled = load_package(DATA_DIR).dataset
    store = connect("", folder / "datasets.sqlite")
    ids = []
    for i in range(count):
        day = f"2022-{3 + i // 28:02d}-{1 + i % 28:02d}"
        upload = f"country,as_of,troop_request\nKyrgyz Republic,{day},refused\n".encode()
        result = import_file(f"import-{i}.csv", upload, bundled)
        ids.append(store.put_dataset(result.dataset, label=f"import {i}"))
    return ids


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        ids = make_store(Path(folder), DATASETS)
        port = free_port()
        proc = start_server(ROOT / "app.py", port, env={STORE_DIR_ENV: folder})
        rows = []
        try:
            with Session(port) as session:
                session.rerun()
                session.rerun()
            rows.append({"datasets": 0, "rss_mb": round(rss_mb(proc.pid), 1),
                         "caches": cache_bytes(port)})  # fmt: skip
            for n, dataset_id in enumerate(ids, start=1):
                with Session(port, query=f"data={dataset_id}") as session:
                    session.rerun()
                rows.append({"datasets": n, "rss_mb": round(rss_mb(proc.pid), 1),
                             "caches": cache_bytes(port)})  # fmt: skip
        finally:
            stop_server(proc)
    first, last = rows[0], rows[-1]
    per = (last["rss_mb"] - first["rss_mb"]) / max(1, DATASETS)
    summary = {
        "datasets": DATASETS,
        "rss_first_mb": first["rss_mb"],
        "rss_last_mb": last["rss_mb"],
        "rss_per_dataset_mb": round(per, 2),
        "cache_kb_first": {k: v // 1024 for k, v in first["caches"].items()},
        "cache_kb_last": {k: v // 1024 for k, v in last["caches"].items()},
        "rss_by_count": " ".join(f"{r['datasets']}:{r['rss_mb']}" for r in rows),
    }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
