"""Server-side store of imported and edited datasets: SQLite in a configurable folder.

Each dataset is kept under an unguessable id that travels in the URL (`?data=<id>`): whoever
holds the id can open it, nobody else can list or find it. Datasets unused for `ttl_days` are
deleted, and the store refuses new ones beyond `max_bytes` with a plain message.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import sqlite3
import time
import zlib
from pathlib import Path

import pandas as pd

ID_BYTES = 18
DEFAULT_TTL_DAYS = 30
DEFAULT_MAX_BYTES = 500 * 1024 * 1024


class StoreFull(Exception):
    """The store has no room for another dataset."""


class DatasetStore:
    """Tables of strings saved and loaded by id. Safe to share between threads."""

    def __init__(self, path: Path, ttl_days: float = DEFAULT_TTL_DAYS,
                 max_bytes: int = DEFAULT_MAX_BYTES, clock=time.time) -> None:  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._ttl = ttl_days * 86_400
        self._max = max_bytes
        self._clock = clock
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS datasets (id TEXT PRIMARY KEY, created REAL, "
                "used REAL, size INTEGER, label TEXT, payload BLOB)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._path, timeout=10, isolation_level=None)

    def _sweep(self, db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM datasets WHERE used < ?", (self._clock() - self._ttl,))

    def put(self, tables: dict[str, pd.DataFrame], label: str = "") -> str:
        """Save tables under a new id and return the id."""
        payload = zlib.compress(
            # every field quoted, so that a carriage return or a newline inside a cell stays in it
            json.dumps(
                {n: f.to_csv(index=False, quoting=csv.QUOTE_ALL) for n, f in tables.items()}
            ).encode(),
            6,
        )
        with self._connect() as db:
            self._sweep(db)
            used = db.execute("SELECT COALESCE(SUM(size), 0) FROM datasets").fetchone()[0]
            if used + len(payload) > self._max:
                raise StoreFull(
                    f"the dataset store is full ({used / 1e6:.0f} MB of {self._max / 1e6:.0f} "
                    "MB); ask the administrator to free space, or try again after old datasets "
                    "expire"
                )
            dataset_id = secrets.token_urlsafe(ID_BYTES)
            now = self._clock()
            db.execute(
                "INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?)",
                (dataset_id, now, now, len(payload), label[:200], payload),
            )
        return dataset_id

    def get(self, dataset_id: str) -> tuple[dict[str, pd.DataFrame], str] | None:
        """The tables and label saved under `dataset_id`, or None if unknown or expired."""
        if not dataset_id or len(dataset_id) > 64:
            return None
        with self._connect() as db:
            self._sweep(db)
            row = db.execute(
                "SELECT payload, label FROM datasets WHERE id = ?", (dataset_id,)
            ).fetchone()
            if row is None:
                return None
            db.execute("UPDATE datasets SET used = ? WHERE id = ?", (self._clock(), dataset_id))
        texts = json.loads(zlib.decompress(row[0]))
        tables = {
            name: pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
            for name, text in texts.items()
        }
        return tables, row[1]
