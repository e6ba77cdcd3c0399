"""Versioned schemas of the shared state, applied when a store or the rooms start.

Each backend has an ordered list of migrations; migration N is applied once, in a transaction of
its own, and recorded in the table `schema_version` (version, applied). Starting a store applies
every migration not yet recorded. Several processes starting at once (replicas behind a load
balancer) apply each migration exactly once: in PostgreSQL they queue on an advisory lock held for
the transaction, in SQLite on the write lock (`BEGIN IMMEDIATE`); whoever comes second finds the
version recorded and skips it. A migration is SQL text, or a function of the connection for a
change that must look before it acts (SQLite stores made before versions were kept).

Add a migration by appending to the list: never edit or reorder one that has shipped.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

Migration = str | Callable[[object], None]

MIGRATION_LOCK = 0x44415348_0001
"""The PostgreSQL advisory lock key taken while migrating (any fixed 64-bit number of ours)."""


def _add_fingerprint(db: sqlite3.Connection) -> None:
    """Stores made before fingerprints were kept get the column (rows keep NULL there)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(datasets)")}
    if "fingerprint" not in columns:
        db.execute("ALTER TABLE datasets ADD COLUMN fingerprint TEXT")


SQLITE: list[Migration] = [
    # 1: the table as the first stores had it (kept as it was when a store already has it)
    "CREATE TABLE IF NOT EXISTS datasets (id TEXT PRIMARY KEY, created REAL, used REAL, "
    "size INTEGER, label TEXT, payload BLOB)",
    # 2: each dataset's fingerprint, checked when it is opened
    _add_fingerprint,
    # 3: the least recently used datasets are found by `used`
    "CREATE INDEX IF NOT EXISTS datasets_used ON datasets (used)",
]

POSTGRES: list[Migration] = [
    # 1: datasets, as in SQLite; the label is bytes so that any text (NUL included) is kept
    """
    CREATE TABLE datasets (
        id text PRIMARY KEY, created double precision NOT NULL, used double precision NOT NULL,
        size bigint NOT NULL, label bytea NOT NULL, payload bytea NOT NULL,
        fingerprint text NOT NULL
    );
    CREATE INDEX datasets_used ON datasets (used);
    """,
    # 2: presentation rooms and the times each owner (a hashed session id) started one
    """
    CREATE TABLE rooms (
        code text PRIMARY KEY, key text NOT NULL, step integer NOT NULL,
        high_contrast boolean NOT NULL DEFAULT false, touched double precision NOT NULL,
        version bigint NOT NULL DEFAULT 1
    );
    CREATE INDEX rooms_touched ON rooms (touched);
    CREATE TABLE room_starts (owner text NOT NULL, started double precision NOT NULL);
    CREATE INDEX room_starts_owner ON room_starts (owner, started);
    """,
]


def migrate_sqlite(db: sqlite3.Connection, migrations: list[Migration] = SQLITE) -> list[int]:
    """Apply the migrations `db` (in autocommit mode) lacks; the versions applied now."""
    applied = []
    for version, migration in enumerate(migrations, start=1):
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, applied REAL)"
            )
            done = db.execute("SELECT 1 FROM schema_version WHERE version = ?", (version,))
            if done.fetchone() is None:
                _apply(db, migration)
                db.execute("INSERT INTO schema_version VALUES (?, ?)", (version, time.time()))
                applied.append(version)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return applied


def migrate_postgres(conn, migrations: list[Migration] = POSTGRES) -> list[int]:
    """Apply the migrations a psycopg connection's database lacks; the versions applied now."""
    applied = []
    for version, migration in enumerate(migrations, start=1):
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version integer PRIMARY KEY, applied double precision NOT NULL)"
            )
            done = conn.execute("SELECT 1 FROM schema_version WHERE version = %s", (version,))
            if done.fetchone() is None:
                _apply(conn, migration)
                conn.execute("INSERT INTO schema_version VALUES (%s, %s)", (version, time.time()))
                applied.append(version)
    return applied


def _apply(db, migration: Migration) -> None:
    if callable(migration):
        migration(db)
    elif isinstance(db, sqlite3.Connection):
        for statement in filter(str.strip, migration.split(";")):
            db.execute(statement)
    else:
        db.execute(migration)
