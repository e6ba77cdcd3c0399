"""Server-side store of imported and edited datasets: SQLite by default, or PostgreSQL.

Each dataset is kept under an unguessable id that travels in the URL (`?data=<id>`): whoever
holds the id can open it, nobody else can list or find it. Opening a dataset (`get`, or `touch`
once per session) marks it as used; datasets unused for `ttl_days` are deleted.

The store holds at most `max_bytes` (compressed). When a new dataset does not fit, the store
makes room by deleting the least recently used datasets, oldest first, until it fits; so a
full store never refuses a dataset, it forgets the ones nobody has opened for longest. Only a
single dataset larger than the whole store is refused, with a plain message. The room check,
the deletions and the insert happen in one write transaction (`BEGIN IMMEDIATE` in SQLite, an
advisory lock in PostgreSQL), so two sessions saving at once cannot both count on the same free
space.

A dataset is validated once, before it is saved (`put_dataset` takes a Dataset, which only
validation makes); the store keeps its tables of strings and their fingerprint. `open` types
them again (`core.model.dataset.typed_dataset`) without any schema check or rule: it only
recomputes the fingerprint, and a dataset whose content no longer matches it (a row changed or
damaged in the database) is refused with `DamagedDataset` rather than shown.

Tables are kept losslessly as text: every field quoted in CSV and read back with no value
taken for "missing", so that "nan", "NA", "None", empty cells, line breaks, quotes, NUL and
other control characters come back exactly as they went in.

Two backends behave the same way (the same tests run against both): `DatasetStore`, an SQLite
file on the server's disk (the default: nothing to run), and `core.serving.store_pg.PgDatasetStore`,
a PostgreSQL database that every replica of the app shares (DASHBOARD_DATABASE_URL). `connect`
gives the one the settings ask for. Their schemas are versioned (`core.serving.migrations`).
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import sqlite3
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from core.ingest.package import load_tables
from core.model.dataset import Dataset, fingerprint, string_tables, typed_dataset
from core.serving.migrations import migrate_sqlite

ID_BYTES = 18
MAX_ID_LENGTH = 64
DEFAULT_TTL_DAYS = 30
DEFAULT_MAX_BYTES = 500 * 1024 * 1024
BUSY_TIMEOUT_SECONDS = 10
COMPRESSION_LEVEL = 6
MAX_LABEL_LENGTH = 200
SECONDS_PER_DAY = 86_400


class StoreFull(Exception):
    """The dataset cannot be stored: it is larger than the whole store."""


class DamagedDataset(Exception):
    """A stored dataset is not what was saved: it was changed or damaged in the store."""


class BaseStore:
    """What both backends share: the payload, ids, labels, size check, reading back and the
    fingerprint check. A backend supplies `_insert`, `_fetch`, `touch`, `used_bytes`, `close`."""

    def __init__(self, ttl_days: float, max_bytes: int, clock) -> None:
        self._ttl = ttl_days * SECONDS_PER_DAY
        self._max = max_bytes
        self._clock = clock

    @staticmethod
    def _known(dataset_id: object) -> bool:
        return (
            isinstance(dataset_id, str)
            and 0 < len(dataset_id) <= MAX_ID_LENGTH
            and dataset_id.isascii()
            and dataset_id.isprintable()
        )

    def put_dataset(self, ds: Dataset, label: str = "") -> str:
        """Save a validated dataset under a new id and return the id (see `put`)."""
        return self.put(string_tables(ds), label)

    def put(self, tables: dict[str, pd.DataFrame], label: str = "") -> str:
        """Save tables of strings and their fingerprint under a new id and return the id;
        deletes the least recently used datasets if that is needed to make room (see the module
        docstring). Only tables that passed validation can be opened as a Dataset (`open`)."""
        payload = zlib.compress(
            # every field quoted, so that a carriage return or a newline inside a cell stays in it
            json.dumps(
                {n: f.to_csv(index=False, quoting=csv.QUOTE_ALL) for n, f in tables.items()}
            ).encode(),
            COMPRESSION_LEVEL,
        )
        size = len(payload)
        if size > self._max:
            raise StoreFull(
                f"the dataset takes {size / 1e6:.1f} MB compressed, more than the whole store "
                f"holds ({self._max / 1e6:.1f} MB); ask the administrator for a larger store"
            )
        dataset_id = secrets.token_urlsafe(ID_BYTES)
        self._insert(dataset_id, size, label[:MAX_LABEL_LENGTH], payload, fingerprint(tables))
        return dataset_id

    def _insert(self, dataset_id: str, size: int, label: str, payload: bytes, digest: str):
        """In one write transaction: forget expired datasets, make room, insert this one."""
        raise NotImplementedError

    def _fetch(self, dataset_id: str) -> tuple[bytes, str, str | None] | None:
        """The payload, label and fingerprint of a live dataset, marked as used now."""
        raise NotImplementedError

    def touch(self, dataset_id: str) -> bool:
        """Mark a dataset as used now (cheap: no payload is read); says whether it is there."""
        raise NotImplementedError

    def used_bytes(self) -> int:
        """How many bytes the stored datasets take (compressed)."""
        raise NotImplementedError

    def close(self) -> None:
        """Let go of connections (a store is not used after this)."""

    def get(self, dataset_id: str) -> tuple[dict[str, pd.DataFrame], str] | None:
        """The tables and label saved under `dataset_id`, or None if unknown or expired; raises
        DamagedDataset if they are not what was saved."""
        found = self._read(dataset_id)
        if found is None:
            return None
        tables, label, saved = found
        if saved is not None:
            _check(fingerprint(tables), saved)
        return tables, label

    def open(self, dataset_id: str) -> tuple[Dataset, str] | None:
        """The dataset and label saved under `dataset_id`, typed without validating it again;
        None if unknown or expired; raises DamagedDataset if it is not what was saved."""
        found = self._read(dataset_id)
        if found is None:
            return None
        tables, label, saved = found
        if saved is None:  # saved before fingerprints were kept: checked as it was then
            return _validated(tables), label
        try:
            ds = typed_dataset(tables)  # which computes the fingerprint: hashed once per open
        except (KeyError, ValueError, TypeError, OverflowError) as exc:  # valid when saved
            raise _unreadable(exc) from exc
        _check(ds.fingerprint, saved)
        return ds, label

    def _read(self, dataset_id: str) -> tuple[dict[str, pd.DataFrame], str, str | None] | None:
        """The tables, label and fingerprint saved under `dataset_id` (marked as used now)."""
        if not self._known(dataset_id):
            return None
        row = self._fetch(dataset_id)
        if row is None:
            return None
        try:
            texts = json.loads(zlib.decompress(row[0]))
            tables = {
                name: pd.read_csv(
                    io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False
                )
                for name, text in texts.items()
            }
        except (zlib.error, ValueError, TypeError, AttributeError) as exc:  # bad zlib, JSON, CSV
            raise _unreadable(exc) from exc
        return tables, row[1], row[2]


class DatasetStore(BaseStore):
    """Validated datasets (kept as tables of strings) in an SQLite file, saved and opened by id.
    Safe to share between threads and processes of one host."""

    def __init__(self, path: Path, ttl_days: float = DEFAULT_TTL_DAYS,
                 max_bytes: int = DEFAULT_MAX_BYTES, clock=time.time) -> None:  # fmt: skip
        super().__init__(ttl_days, max_bytes, clock)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        with self._connect() as db:
            migrate_sqlite(db)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit mode (transactions are explicit), closed afterwards."""
        db = sqlite3.connect(self._path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    @staticmethod
    @contextmanager
    def _writing(db: sqlite3.Connection) -> Iterator[None]:
        """One write transaction: nobody else writes until it commits; undone on any error."""
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _sweep(self, db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM datasets WHERE used < ?", (self._clock() - self._ttl,))

    def _insert(self, dataset_id: str, size: int, label: str, payload: bytes, digest: str):
        with self._connect() as db, self._writing(db):  # the room check sees every other save
            self._sweep(db)
            self._make_room(db, size)
            now = self._clock()
            db.execute(
                "INSERT INTO datasets (id, created, used, size, label, payload, fingerprint) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (dataset_id, now, now, size, label, payload, digest),
            )

    def _make_room(self, db: sqlite3.Connection, size: int) -> None:
        """Delete the least recently used datasets until `size` more bytes fit."""
        used = db.execute("SELECT COALESCE(SUM(size), 0) FROM datasets").fetchone()[0]
        excess = used + size - self._max
        if excess <= 0:
            return
        doomed = []
        oldest_first = db.execute("SELECT id, size FROM datasets ORDER BY used, created")
        for dataset_id, dataset_size in oldest_first.fetchall():
            doomed.append((dataset_id,))
            excess -= dataset_size
            if excess <= 0:
                break
        db.executemany("DELETE FROM datasets WHERE id = ?", doomed)

    def used_bytes(self) -> int:
        """How many bytes the stored datasets take (compressed)."""
        with self._connect() as db:
            return db.execute("SELECT COALESCE(SUM(size), 0) FROM datasets").fetchone()[0]

    def touch(self, dataset_id: str) -> bool:
        """Mark a dataset as used now (cheap: no payload is read); says whether it is there."""
        if not self._known(dataset_id):
            return False
        now = self._clock()
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE datasets SET used = ? WHERE id = ? AND used >= ?",
                (now, dataset_id, now - self._ttl),
            )
            return cursor.rowcount > 0

    def _fetch(self, dataset_id: str) -> tuple[bytes, str, str | None] | None:
        with self._connect() as db:
            self._sweep(db)
            row = db.execute(
                "SELECT payload, label, fingerprint FROM datasets WHERE id = ?", (dataset_id,)
            ).fetchone()
            if row is None:
                return None
            db.execute("UPDATE datasets SET used = ? WHERE id = ?", (self._clock(), dataset_id))
        return row


def connect(database_url: str, path: Path, ttl_days: float = DEFAULT_TTL_DAYS,
            max_bytes: int = DEFAULT_MAX_BYTES, pool_size: int = 4) -> BaseStore:  # fmt: skip
    """The store the settings ask for: PostgreSQL at `database_url` when one is given, else the
    SQLite file at `path`."""
    if database_url:
        from core.serving.store_pg import PgDatasetStore  # psycopg is loaded only when asked for

        return PgDatasetStore(database_url, ttl_days, max_bytes, pool_size=pool_size)
    return DatasetStore(path, ttl_days, max_bytes)


def _unreadable(exc: Exception) -> DamagedDataset:
    return DamagedDataset(
        f"the saved dataset cannot be read back ({type(exc).__name__}): it was damaged in the "
        "server's store after it was saved"
    )


def _check(found: str, saved: str) -> None:
    """Raise DamagedDataset unless the fingerprint `found` is the one saved."""
    if found != saved:
        raise DamagedDataset(
            f"the saved dataset no longer matches its fingerprint (saved as {saved}, now "
            f"{found}): it was changed or damaged in the server's store after it was saved"
        )


def _validated(tables: dict[str, pd.DataFrame]) -> Dataset:
    """A dataset saved before fingerprints were kept, validated as every open once did."""
    result = load_tables(tables)
    if result.dataset is None:
        raise DamagedDataset(f"the saved dataset no longer passes the checks: {result.problems[0]}")
    return result.dataset
