"""Benchmark of the shared state: SQLite and memory (the defaults) against PostgreSQL.

Times, in one run and alternating the backends round by round:
- the dataset store: `put_dataset` and `open` of the bundled dataset and of a synthetic UN-wide
  one (bench/generate.py: 193 countries x 60 issues x 5 observations), and `fetch`, the
  database's own share of an open (the payload read, not decoded or typed);
- the rooms: `version` and `shown` (what an audience screen asks), `move` (a presenter's step),
  and how long a move on one store takes to reach another store's subscriber.
Reports medians (and p95 for the notification) and the ratio PostgreSQL / default: the default
backends are this benchmark's baseline, as the minimal app is the app's. PostgreSQL is a
throwaway cluster from tools/pg.py, durable (fsync on), on loopback.

Usage: `make bench-store` or `python -m bench.store [--rounds N]`; writes
bench/results/store.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.generate import generate
from core.ingest.package import load_bundled, load_tables
from core.serving.rooms import RoomStore
from core.serving.rooms_pg import PgRoomStore
from core.serving.store import DatasetStore
from core.serving.store_pg import PgDatasetStore
from tools import pg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ROOM_CALLS = 300
NOTIFY_ROUNDS = 30


def timed(action) -> float:
    """Milliseconds `action()` takes."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def store_rounds(stores: dict, datasets: dict, rounds: int) -> dict:
    """put and open times (ms) per backend and dataset, the backends alternating."""
    times = {(b, d, op): [] for b in stores for d in datasets for op in ("put", "open", "fetch")}
    for _ in range(rounds):
        for name, ds in datasets.items():
            for backend, store in stores.items():
                start = time.perf_counter()
                dataset_id = store.put_dataset(ds)
                times[backend, name, "put"].append((time.perf_counter() - start) * 1000)
                times[backend, name, "open"].append(timed(lambda s=store, i=dataset_id: s.open(i)))
                # the database's own share of an open: the payload read, nothing decoded
                times[backend, name, "fetch"].append(
                    timed(lambda s=store, i=dataset_id: s._fetch(i))
                )
    return {"|".join(k): statistics.median(v) for k, v in times.items()}


def payload_bytes(work: Path, ds) -> int:
    """How many bytes a dataset takes in the store (compressed)."""
    store = DatasetStore(work / f"size-{ds.fingerprint}.sqlite")
    store.put_dataset(ds)
    return store.used_bytes()


def room_calls(rooms) -> dict:
    """Median microseconds of what audience screens and presenters ask of the rooms."""
    room = rooms.create()
    out = {}
    for name, call in {
        "version": lambda: rooms.version(room.code),
        "shown": lambda: rooms.shown(room.code),
        "move": lambda: rooms.move(room.code, room.key, 2),
    }.items():
        out[name] = statistics.median(timed(call) * 1000 for _ in range(ROOM_CALLS))
    return out


def notify_latency(presenter, audience) -> list[float]:
    """Milliseconds from a move on `presenter` to `audience`'s subscriber being called."""
    room = presenter.create()
    heard = threading.Event()
    audience.subscribe(lambda code: code == room.code and heard.set())
    out = []
    for step in range(NOTIFY_ROUNDS):
        heard.clear()
        start = time.perf_counter()
        presenter.move(room.code, room.key, step + 2)
        heard.wait(10)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    synthetic = load_tables(generate())
    datasets = {"bundled": load_bundled(), "un_wide": synthetic.dataset}
    work = Path(tempfile.mkdtemp(prefix="dashboard-bench-store-"))
    work.chmod(0o755)  # as root, the server runs as the postgres user, which must reach pg/
    url = pg.start(work / "pg")
    try:
        stores = {"sqlite": DatasetStore(work / "store.sqlite"), "postgres": PgDatasetStore(url)}
        result = {"datasets": store_rounds(stores, datasets, args.rounds)}
        result["payload_bytes"] = {name: payload_bytes(work, ds) for name, ds in datasets.items()}
        for store in stores.values():
            store.close()
        memory, shared, other = RoomStore(), PgRoomStore(url), PgRoomStore(url)
        result["rooms_us"] = {"memory": room_calls(memory), "postgres": room_calls(shared)}
        same_process = notify_latency(memory, memory)
        across = notify_latency(shared, other)
        result["notify_ms"] = {
            "memory": {"p50": statistics.median(same_process),
                       "p95": statistics.quantiles(same_process, n=20)[-1]},
            "postgres": {"p50": statistics.median(across),
                         "p95": statistics.quantiles(across, n=20)[-1]},
        }  # fmt: skip
        for rooms in (memory, shared, other):
            rooms.close()
    finally:
        pg.stop(work / "pg")
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "store.json").write_text(json.dumps(result, indent=2))
    print(report(result))


def report(result: dict) -> str:
    """The figures as a Markdown table."""
    lines = ["| What | default | PostgreSQL | ratio |", "|---|---|---|---|"]
    d = result["datasets"]
    for name in ("bundled", "un_wide"):
        for op in ("put", "open", "fetch"):
            a, b = d[f"sqlite|{name}|{op}"], d[f"postgres|{name}|{op}"]
            lines.append(f"| {op} {name} (ms) | {a:.1f} | {b:.1f} | {b / a:.2f} |")
    for op in ("version", "shown", "move"):
        a, b = result["rooms_us"]["memory"][op], result["rooms_us"]["postgres"][op]
        lines.append(f"| room {op} (µs) | {a:.0f} | {b:.0f} | {b / a:.0f} |")
    for q in ("p50", "p95"):
        a, b = result["notify_ms"]["memory"][q], result["notify_ms"]["postgres"][q]
        lines.append(f"| move → subscriber {q} (ms) | {a:.2f} | {b:.2f} | {b / a:.0f} |")
    sizes = ", ".join(f"{n} {b / 1e6:.2f} MB" for n, b in result["payload_bytes"].items())
    return "\n".join(lines) + f"\n\nStored sizes (compressed): {sizes}."


if __name__ == "__main__":
    main()
