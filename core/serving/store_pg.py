"""The dataset store in PostgreSQL, shared by every replica of the app (DASHBOARD_DATABASE_URL).

It behaves as the SQLite store does (see `core.serving.store`: ids, expiry, the size cap that
forgets the least recently used datasets, damage reported); only where the bytes live differs.
Saves queue on a transaction-level advisory lock, as SQLite's `BEGIN IMMEDIATE` makes them, so
that the room check, the deletions and the insert of two replicas saving at once never count on
the same free space. Opening a dataset marks it as used in the same statement that reads it,
without waiting for that mark to reach the disk (a save does wait).
Connections come from a small pool (psycopg_pool), opened when the store starts.
"""

from __future__ import annotations

import time

from psycopg_pool import ConnectionPool

from core.serving.migrations import migrate_postgres
from core.serving.store import DEFAULT_MAX_BYTES, DEFAULT_TTL_DAYS, BaseStore

STORE_LOCK = 0x44415348_0002
"""The advisory lock key that saves queue on (any fixed 64-bit number of ours)."""
CONNECT_TIMEOUT_SECONDS = 10
NO_FLUSH = "SET LOCAL synchronous_commit = off"
"""For marking a dataset as used: not worth waiting for the disk on every open (a crash may lose
the last fraction of a second of such marks, never a saved dataset, whose save does wait)."""


def open_pool(database_url: str, size: int, name: str) -> ConnectionPool:
    """A pool of `size` autocommit connections to `database_url`, with the schema migrated."""
    pool = ConnectionPool(
        database_url, min_size=1, max_size=max(1, size), name=name, open=False,
        kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_SECONDS},
        timeout=CONNECT_TIMEOUT_SECONDS,
    )  # fmt: skip
    pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
    try:
        with pool.connection() as conn:
            migrate_postgres(conn)
    except BaseException:
        pool.close()
        raise
    return pool


def text_of(label: bytes) -> str:
    """A label kept as bytes (so that NUL and any other character survive), as text."""
    return bytes(label).decode("utf-8", "surrogatepass")


def bytes_of(label: str) -> bytes:
    return label.encode("utf-8", "surrogatepass")


class PgDatasetStore(BaseStore):
    """Validated datasets in a PostgreSQL database, saved and opened by id. Safe to share
    between threads, processes and hosts."""

    def __init__(self, database_url: str, ttl_days: float = DEFAULT_TTL_DAYS,
                 max_bytes: int = DEFAULT_MAX_BYTES, clock=time.time,
                 pool_size: int = 4) -> None:  # fmt: skip
        super().__init__(ttl_days, max_bytes, clock)
        self._pool = open_pool(database_url, pool_size, "dataset-store")

    def close(self) -> None:
        self._pool.close()

    def _insert(self, dataset_id: str, size: int, label: str, payload: bytes, digest: str):
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (STORE_LOCK,))
            now = self._clock()
            conn.execute("DELETE FROM datasets WHERE used < %s", (now - self._ttl,))
            self._make_room(conn, size)
            conn.execute(
                "INSERT INTO datasets (id, created, used, size, label, payload, fingerprint) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (dataset_id, now, now, size, bytes_of(label), payload, digest),
            )

    def _make_room(self, conn, size: int) -> None:
        """Delete the least recently used datasets until `size` more bytes fit."""
        used = conn.execute("SELECT COALESCE(SUM(size), 0) FROM datasets").fetchone()[0]
        excess = used + size - self._max
        if excess <= 0:
            return
        doomed = []
        for dataset_id, dataset_size in conn.execute(
            "SELECT id, size FROM datasets ORDER BY used, created"
        ):
            doomed.append(dataset_id)
            excess -= dataset_size
            if excess <= 0:
                break
        conn.execute("DELETE FROM datasets WHERE id = ANY(%s)", (doomed,))

    def used_bytes(self) -> int:
        with self._pool.connection() as conn:
            return conn.execute("SELECT COALESCE(SUM(size), 0) FROM datasets").fetchone()[0]

    def touch(self, dataset_id: str) -> bool:
        if not self._known(dataset_id):
            return False
        now = self._clock()
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(NO_FLUSH)
            cursor = conn.execute(
                "UPDATE datasets SET used = %s WHERE id = %s AND used >= %s",
                (now, dataset_id, now - self._ttl),
            )
            return cursor.rowcount > 0

    def _fetch(self, dataset_id: str) -> tuple[bytes, str, str | None] | None:
        now = self._clock()
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(NO_FLUSH)
            row = conn.execute(
                "UPDATE datasets SET used = %s WHERE id = %s AND used >= %s "
                "RETURNING payload, label, fingerprint",
                (now, dataset_id, now - self._ttl),
            ).fetchone()
        if row is None:
            return None
        return bytes(row[0]), text_of(row[1]), row[2]
