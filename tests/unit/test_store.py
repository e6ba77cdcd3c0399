"""The dataset store, in both backends (SQLite and a real PostgreSQL): unguessable ids, lossless
round trip, opening without validating again, damage reported, expiry, touch, and a size cap that
makes room by forgetting the least recently used datasets, also when sessions save at once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import zlib
from contextlib import contextmanager

import pandas as pd
import pytest

import core.ingest.package
from core.ingest.conform import base_tables
from core.ingest.package import load_tables
from core.serving.store import DamagedDataset, DatasetStore, StoreFull
from tests.conftest import ROOT


class SqliteBackend:
    """Stores in one SQLite file."""

    def __init__(self, tmp_path) -> None:
        self.path = tmp_path / "store.sqlite"

    def store(self, **options):
        return DatasetStore(self.path, **options)

    def change_payload(self, dataset_id: str, change) -> None:
        """Change a stored payload behind the store's back, as damage or a hand edit would."""
        with sqlite3.connect(self.path) as db:
            query = "SELECT payload FROM datasets WHERE id = ?"
            (payload,) = db.execute(query, (dataset_id,)).fetchone()
            db.execute(
                "UPDATE datasets SET payload = ? WHERE id = ?", (change(payload), dataset_id)
            )


class PostgresBackend:
    """Stores in one PostgreSQL database."""

    def __init__(self, url: str) -> None:
        self.url = url

    def store(self, **options):
        from core.serving.store_pg import PgDatasetStore

        return PgDatasetStore(self.url, **options)

    def change_payload(self, dataset_id: str, change) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            query = "SELECT payload FROM datasets WHERE id = %s"
            (payload,) = conn.execute(query, (dataset_id,)).fetchone()
            conn.execute(
                "UPDATE datasets SET payload = %s WHERE id = %s",
                (change(bytes(payload)), dataset_id),
            )


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path):
    """Each backend in turn; the stores a test makes are closed after it."""
    if request.param == "sqlite":
        made = SqliteBackend(tmp_path)
    else:
        made = PostgresBackend(request.getfixturevalue("pg_url"))
    stores = []
    make = made.store

    def store(**options):
        stores.append(make(**options))
        return stores[-1]

    made.store = store
    yield made
    for opened in stores:
        opened.close()


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
    backend, dataset, no_validation
):
    store = backend.store()
    back, label = store.open(store.put_dataset(dataset, label="bundled copy"))
    assert label == "bundled copy"
    assert back.fingerprint == dataset.fingerprint
    for name in base_tables(dataset):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(dataset, name))


def edit_positions(payload: bytes, old: str, new: str) -> bytes:
    """The payload with the first `old` in the positions CSV replaced by `new`."""
    texts = json.loads(zlib.decompress(payload))
    edited = texts["positions"].replace(old, new, 1)
    assert edited != texts["positions"]
    return zlib.compress(json.dumps({**texts, "positions": edited}).encode())


def test_a_row_edited_in_the_store_is_reported_not_shown(backend, dataset):
    store = backend.store()
    dataset_id = store.put_dataset(dataset)
    summary = dataset.positions.summary[0]
    backend.change_payload(dataset_id, lambda p: edit_positions(p, summary, summary + " (edited)"))
    for read in (store.open, store.get):
        with pytest.raises(DamagedDataset, match="no longer matches its fingerprint") as report:
            read(dataset_id)
        assert "changed or damaged in the server's store after it was saved" in str(report.value)


def test_a_date_damaged_in_the_store_is_reported_not_a_crash(backend, dataset):
    store = backend.store()
    dataset_id = store.put_dataset(dataset)
    date = f'"{dataset.positions.date[0]:%Y-%m-%d}"'
    backend.change_payload(dataset_id, lambda p: edit_positions(p, date, '"2022-13-45"'))
    with pytest.raises(DamagedDataset, match=r"cannot be read back \(ValueError\): it was damaged"):
        store.open(dataset_id)


@pytest.mark.parametrize("payload", [b"not zlib", zlib.compress(b"not json"), zlib.compress(b"[]")])
def test_an_unreadable_payload_is_reported(backend, dataset, payload):
    store = backend.store()
    dataset_id = store.put_dataset(dataset)
    backend.change_payload(dataset_id, lambda _: payload)
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
def test_any_text_survives_the_store_exactly(backend, text):
    frame = pd.DataFrame({"a": [text, "x", text], text or "empty": ["y", text, ""]})
    store = backend.store()
    back, label = store.get(store.put({"t": frame}, label=text))
    pd.testing.assert_frame_equal(back["t"], frame, check_dtype=False)
    assert back["t"].map(type).eq(str).all().all()
    assert label == text


@pytest.mark.parametrize(
    "summary", ["nan", "NaT", "a\rb", "line one\nline two", 'quote " and ""two""', "emoji 🇺🇦"]
)
def test_odd_text_survives_the_store_unchanged(backend, dataset, summary):
    tables = base_tables(dataset)
    tables["positions"].loc[0, "summary"] = summary
    imported = load_tables(tables).dataset
    store = backend.store()
    back, _ = store.open(store.put_dataset(imported))
    assert back.positions.loc[0, "summary"] == summary
    assert back.fingerprint == imported.fingerprint


def test_ids_are_unguessable_and_unknown_ids_give_nothing(backend):
    store = backend.store()
    ids = {store.put({"t": pd.DataFrame({"a": ["1"]})}) for _ in range(20)}
    assert len(ids) == 20 and all(len(i) >= 24 for i in ids)
    assert store.get("not-an-id") is None and store.get("") is None


@pytest.mark.parametrize(
    "odd", ["x" * 500, "\x00", "a\x00b", "ключ", "🔑", "\udc80", None, 42, " "]
)
def test_any_odd_id_is_no_dataset(backend, odd):
    store = backend.store()
    store.put({"t": pd.DataFrame({"a": ["1"]})})
    assert store.get(odd) is None and store.open(odd) is None and not store.touch(odd)


def test_the_label_is_kept_and_cut_to_its_limit(backend):
    store = backend.store()
    assert store.get(store.put({"t": pd.DataFrame({"a": ["1"]})}, label="x" * 1000))[1] == "x" * 200


def test_unused_datasets_expire(backend):
    clock = Clock()
    store = backend.store(ttl_days=1, clock=clock)
    kept, dropped = store.put({"t": pd.DataFrame({"a": ["1"]})}), store.put({"t": pd.DataFrame()})
    clock.now += 0.8 * 86_400
    assert store.get(kept) is not None  # using it keeps it alive
    clock.now += 0.5 * 86_400
    assert store.get(dropped) is None
    assert store.get(kept) is not None


def test_touch_keeps_a_dataset_alive_without_reading_it(backend):
    clock = Clock()
    store = backend.store(ttl_days=1, clock=clock)
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


def test_a_full_store_forgets_the_least_recently_used_datasets(backend):
    clock = Clock()
    store = backend.store(max_bytes=8_000, clock=clock)
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


def test_only_a_dataset_larger_than_the_whole_store_is_refused(backend):
    store = backend.store(max_bytes=2_000)
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


def test_sessions_saving_at_once_never_overfill_the_store(backend):
    limit = 8_000
    stores = [backend.store(max_bytes=limit) for _ in range(8)]  # each a session (or replica)
    start = threading.Barrier(8)
    errors = []

    def save(seed: int) -> None:
        store = stores[seed]
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
    assert 0 < stores[0].used_bytes() <= limit


def test_replicas_on_one_database_see_each_others_datasets(pg_url, dataset):
    from core.serving.store_pg import PgDatasetStore

    first, second = PgDatasetStore(pg_url), PgDatasetStore(pg_url)
    try:
        saved = first.put_dataset(dataset, label="from replica one")
        back, label = second.open(saved)
        assert back.fingerprint == dataset.fingerprint and label == "from replica one"
        # another process (a replica of its own) opens it, and saves one this store opens
        script = (
            "import sys; from core.serving.store_pg import PgDatasetStore; import pandas as pd\n"
            "s = PgDatasetStore(sys.argv[1]); ds, label = s.open(sys.argv[2])\n"
            "print(ds.fingerprint, label, s.put({'t': pd.DataFrame({'a': ['9']})}, 'theirs'), "
            "sep='|')"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, pg_url, saved], cwd=ROOT, capture_output=True,
            text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        their_fingerprint, their_label, their_id = done.stdout.strip().split("|")
        assert (their_fingerprint, their_label) == (dataset.fingerprint, "from replica one")
        tables, label = first.get(their_id)
        assert label == "theirs" and tables["t"].a.tolist() == ["9"]
    finally:
        first.close()
        second.close()


def test_migrations_are_applied_once_when_replicas_start_at_once(pg_fresh_url):
    pg_url = pg_fresh_url
    import psycopg

    from core.serving.migrations import POSTGRES
    from core.serving.store_pg import PgDatasetStore

    start, stores, errors = threading.Barrier(6), [], []

    def open_store() -> None:
        start.wait()
        try:
            stores.append(PgDatasetStore(pg_url, pool_size=1))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    assert errors == [] and len(stores) == 6
    with psycopg.connect(pg_url) as conn:
        versions = conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert [v for (v,) in versions] == list(range(1, len(POSTGRES) + 1))


def test_an_sqlite_store_records_its_schema_version_and_migrates_once(tmp_path):
    from core.serving.migrations import SQLITE, migrate_sqlite

    path = tmp_path / "store.sqlite"
    DatasetStore(path)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        assert migrate_sqlite(db) == []  # all applied already: nothing to do again
        versions = [v for (v,) in db.execute("SELECT version FROM schema_version")]
    finally:
        db.close()
    assert versions == list(range(1, len(SQLITE) + 1))
