"""The dataset store: unguessable ids, lossless round trip, opening without validating again,
damage reported, expiry, touch, and a size cap that makes room by forgetting the least recently
used datasets."""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from contextlib import contextmanager

import pandas as pd
import pytest

import core.ingest.package
from core.ingest.conform import base_tables
from core.ingest.package import load_tables
from core.serving.store import DamagedDataset, DatasetStore, StoreFull


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def no_validation(monkeypatch):
    """Validation that fails the test if it runs: opening a stored dataset must not need it."""

    def refuse(*args, **kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(core.ingest.package, "validate_tables", refuse)
    monkeypatch.setattr(core.ingest.package, "check_rules", refuse)


def test_round_trip_gives_the_same_dataset_without_validating_it_again(
    tmp_path, dataset, no_validation
):
    store = DatasetStore(tmp_path / "store.sqlite")
    back, label = store.open(store.put_dataset(dataset, label="bundled copy"))
    assert label == "bundled copy"
    assert back.fingerprint == dataset.fingerprint
    for name in base_tables(dataset):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(dataset, name))


def rewrite_payload(path, dataset_id: str, change) -> None:
    """Change a stored dataset's payload behind the store's back, as damage or a hand edit would."""
    with sqlite3.connect(path) as db:
        query = "SELECT payload FROM datasets WHERE id = ?"
        (payload,) = db.execute(query, (dataset_id,)).fetchone()
        db.execute("UPDATE datasets SET payload = ? WHERE id = ?", (change(payload), dataset_id))


def edit_positions(payload: bytes, old: str, new: str) -> bytes:
    """The payload with the first `old` in the positions CSV replaced by `new`."""
    texts = json.loads(zlib.decompress(payload))
    edited = texts["positions"].replace(old, new, 1)
    assert edited != texts["positions"]
    return zlib.compress(json.dumps({**texts, "positions": edited}).encode())


def test_a_row_edited_in_the_store_is_reported_not_shown(tmp_path, dataset):
    path = tmp_path / "store.sqlite"
    store = DatasetStore(path)
    dataset_id = store.put_dataset(dataset)
    summary = dataset.positions.summary[0]
    rewrite_payload(path, dataset_id, lambda p: edit_positions(p, summary, summary + " (edited)"))
    for read in (store.open, store.get):
        with pytest.raises(DamagedDataset, match="no longer matches its fingerprint") as report:
            read(dataset_id)
        assert "changed or damaged in the server's store after it was saved" in str(report.value)


def test_a_date_damaged_in_the_store_is_reported_not_a_crash(tmp_path, dataset):
    path = tmp_path / "store.sqlite"
    store = DatasetStore(path)
    dataset_id = store.put_dataset(dataset)
    date = f'"{dataset.positions.date[0]:%Y-%m-%d}"'
    rewrite_payload(path, dataset_id, lambda p: edit_positions(p, date, '"2022-13-45"'))
    with pytest.raises(DamagedDataset, match=r"cannot be read back \(ValueError\): it was damaged"):
        store.open(dataset_id)


@pytest.mark.parametrize("payload", [b"not zlib", zlib.compress(b"not json"), zlib.compress(b"[]")])
def test_an_unreadable_payload_is_reported(tmp_path, dataset, payload):
    path = tmp_path / "store.sqlite"
    store = DatasetStore(path)
    dataset_id = store.put_dataset(dataset)
    rewrite_payload(path, dataset_id, lambda _: payload)
    with pytest.raises(DamagedDataset, match=r"cannot be read back .* damaged in the server's"):
        store.open(dataset_id)


def test_a_store_made_before_fingerprints_were_kept_still_opens_its_datasets(tmp_path, dataset):
    path = tmp_path / "store.sqlite"
    with sqlite3.connect(path) as db:  # the table as it was
        db.execute(
            "CREATE TABLE datasets (id TEXT PRIMARY KEY, created REAL, used REAL, size INTEGER, "
            "label TEXT, payload BLOB)"
        )
    store = DatasetStore(path)
    dataset_id = store.put_dataset(dataset)
    with sqlite3.connect(path) as db:  # a row saved then: no fingerprint, so validated on open
        db.execute("UPDATE datasets SET fingerprint = NULL WHERE id = ?", (dataset_id,))
    assert store.open(dataset_id)[0].fingerprint == dataset.fingerprint


ODD_TEXTS = [
    "nan", "NaT", "NA", "N/A", "None", "null", "NULL", "#N/A", "-nan", "1.#IND", "", " ", "a\rb",
    "line one\nline two", "crlf\r\nline", "\r\n", '"', 'quote " and ""two""', "nul\x00inside",
    "\x00", "bell\x07 esc\x1b del\x7f vt\x0b ff\x0c", "\x1f", "emoji 🇺🇦 👩🏽‍💻", "  lead",
    "trail  ", "a,b;c\td", "=1+1", "'quoted", "0012", "1e5", "True", "\ufeffbom",
]  # fmt: skip


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_any_text_survives_the_store_exactly(tmp_path, text):
    frame = pd.DataFrame({"a": [text, "x", text], text or "empty": ["y", text, ""]})
    store = DatasetStore(tmp_path / "store.sqlite")
    back, _ = store.get(store.put({"t": frame}))
    pd.testing.assert_frame_equal(back["t"], frame, check_dtype=False)
    assert back["t"].map(type).eq(str).all().all()


@pytest.mark.parametrize(
    "summary", ["nan", "NaT", "a\rb", "line one\nline two", 'quote " and ""two""', "emoji 🇺🇦"]
)
def test_odd_text_survives_the_store_unchanged(tmp_path, dataset, summary):
    tables = base_tables(dataset)
    tables["positions"].loc[0, "summary"] = summary
    imported = load_tables(tables).dataset
    store = DatasetStore(tmp_path / "store.sqlite")
    back, _ = store.open(store.put_dataset(imported))
    assert back.positions.loc[0, "summary"] == summary
    assert back.fingerprint == imported.fingerprint


def test_ids_are_unguessable_and_unknown_ids_give_nothing(tmp_path):
    store = DatasetStore(tmp_path / "store.sqlite")
    ids = {store.put({"t": pd.DataFrame({"a": ["1"]})}) for _ in range(20)}
    assert len(ids) == 20 and all(len(i) >= 24 for i in ids)
    assert store.get("not-an-id") is None and store.get("") is None


def test_unused_datasets_expire(tmp_path):
    clock = Clock()
    store = DatasetStore(tmp_path / "store.sqlite", ttl_days=1, clock=clock)
    kept, dropped = store.put({"t": pd.DataFrame({"a": ["1"]})}), store.put({"t": pd.DataFrame()})
    clock.now += 0.8 * 86_400
    assert store.get(kept) is not None  # using it keeps it alive
    clock.now += 0.5 * 86_400
    assert store.get(dropped) is None
    assert store.get(kept) is not None


def test_touch_keeps_a_dataset_alive_without_reading_it(tmp_path):
    clock = Clock()
    store = DatasetStore(tmp_path / "store.sqlite", ttl_days=1, clock=clock)
    kept, dropped = store.put({"t": pd.DataFrame({"a": ["1"]})}), store.put({"t": pd.DataFrame()})
    for _ in range(5):  # opened every day for five days
        clock.now += 0.8 * 86_400
        assert store.touch(kept)
    assert store.get(kept) is not None
    assert not store.touch(dropped) and store.get(dropped) is None
    assert not store.touch("not-an-id") and not store.touch("") and not store.touch("x" * 500)


def table(seed: int, rows: int = 200) -> dict[str, pd.DataFrame]:
    """A table that compresses badly, so its stored size is predictable."""
    import random

    rng = random.Random(seed)
    return {"t": pd.DataFrame({"a": [f"{rng.getrandbits(64):x}" for _ in range(rows)]})}


def test_a_full_store_forgets_the_least_recently_used_datasets(tmp_path):
    clock = Clock()
    store = DatasetStore(tmp_path / "store.sqlite", max_bytes=8_000, clock=clock)
    ids = []
    for seed in range(3):
        clock.now += 10
        ids.append(store.put(table(seed)))
    clock.now += 10
    store.touch(ids[0])  # the oldest is used again: the second is now the least recently used
    for seed in range(3, 10):
        clock.now += 10
        ids.append(store.put(table(seed)))  # never refused
        assert store.get(ids[-1]) is not None
        assert store.used_bytes() <= 8_000
    assert store.get(ids[1]) is None
    kept = [i for i in ids if store.get(i) is not None]
    assert kept == ids[-len(kept) :] and len(kept) >= 2


def test_only_a_dataset_larger_than_the_whole_store_is_refused(tmp_path):
    store = DatasetStore(tmp_path / "store.sqlite", max_bytes=2_000)
    small = store.put(table(1, rows=10))
    with pytest.raises(StoreFull, match="more than the whole store"):
        store.put(table(2, rows=2_000))
    assert store.get(small) is not None


class TracedStore(DatasetStore):
    """A store that records every SQL statement it runs."""

    statements: list[str]

    @contextmanager
    def _connect(self):
        with super()._connect() as db:
            db.set_trace_callback(self.statements.append)
            yield db


def test_room_check_and_insert_are_one_transaction(tmp_path):
    TracedStore.statements = []
    store = TracedStore(tmp_path / "store.sqlite", max_bytes=8_000)
    store.put(table(1))
    TracedStore.statements.clear()
    store.put(table(2))
    run = [s.split()[0].upper() + (" " + s.split()[1].upper() if s.startswith("BEGIN") else "")
           for s in TracedStore.statements]  # fmt: skip
    begin, commit = run.index("BEGIN IMMEDIATE"), run.index("COMMIT")
    check = next(i for i, s in enumerate(TracedStore.statements) if "SUM(size)" in s)
    insert = run.index("INSERT")
    assert begin < check < insert < commit
    assert "COMMIT" not in run[begin:commit] and "ROLLBACK" not in run


def test_sessions_saving_at_once_never_overfill_the_store(tmp_path):
    path, limit = tmp_path / "store.sqlite", 8_000
    start = threading.Barrier(8)
    errors = []

    def save(seed: int) -> None:
        store = DatasetStore(path, max_bytes=limit)  # a session of its own
        start.wait()
        try:
            for n in range(4):
                store.put(table(seed * 10 + n))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT SUM(size) FROM datasets").fetchone()[0] <= limit
