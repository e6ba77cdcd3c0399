"""Presentation rooms in PostgreSQL, shared by every replica of the app (DASHBOARD_DATABASE_URL).

They behave as the rooms in memory do (see `core.serving.rooms`): codes, keys compared in
constant time (in Python: the key is read, never matched in SQL), expiry, the per-owner limit
and MAX_ROOMS. Starting a room queues on a transaction-level advisory lock, so that the limit
check, the eviction of the idlest room and the insert of two replicas never interleave; a move
locks its room's row (`SELECT ... FOR UPDATE`), bumps its version and sends `NOTIFY` on the
channel `dashboard_rooms` with the room's code, delivered when the move commits. Rooms' writes
do not wait for the disk (`synchronous_commit = off`, for their transactions only): a room is
worth less than a presenter's waiting on every step.

Subscribers are fed by one LISTEN connection of their own per store, in a background thread; when
that connection drops it reconnects, and then calls the subscribers for every room changed since
it last listened, so that no change is lost while it was away. Owners (session ids) are kept
only as SHA-256 digests.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable

import psycopg

from core.serving.rooms import (
    ROOM_WINDOW_SECONDS,
    ROOMS_PER_OWNER,
    Room,
    Shown,
    Subscribers,
    is_code,
    new_code,
    new_key,
    same_key,
    too_many,
)
from core.serving.store_pg import CONNECT_TIMEOUT_SECONDS, NO_FLUSH, open_pool
from core.settings import MAX_ROOMS, ROOM_TTL_SECONDS

CHANNEL = "dashboard_rooms"
ROOMS_LOCK = 0x44415348_0003
"""The advisory lock key that starting a room queues on (any fixed 64-bit number of ours)."""
LISTEN_POLL_SECONDS = 1.0
"""How often the listening thread looks up from its connection (to notice `close`)."""
RECONNECT_SECONDS = 1.0
MISSED_MARGIN_SECONDS = 5.0
"""After a reconnect, rooms changed this long before the connection was last known good are
announced too (clocks of replicas on several hosts may differ a little)."""


def owner_digest(owner: str) -> str:
    return hashlib.sha256(owner.encode("utf-8", "surrogatepass")).hexdigest()


class PgRoomStore:
    """Rooms in a PostgreSQL database: the same methods as `core.serving.rooms.RoomStore`."""

    def __init__(self, database_url: str, ttl: float = ROOM_TTL_SECONDS, clock=time.time,
                 max_rooms: int = MAX_ROOMS, pool_size: int = 4) -> None:  # fmt: skip
        self._url = database_url
        self._ttl = ttl
        self._clock = clock
        self._max_rooms = max_rooms
        self._pool = open_pool(database_url, pool_size, "rooms")
        self._subscribers = Subscribers()
        self._lock = threading.Lock()
        self._listener: threading.Thread | None = None
        self._listening = threading.Event()
        self._closed = threading.Event()

    def create(self, step: int = 1, owner: str | None = None) -> Room:
        """A new room at `step` (see `RoomStore.create`)."""
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(NO_FLUSH)
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (ROOMS_LOCK,))
            now = self._clock()
            conn.execute("DELETE FROM rooms WHERE touched < %s", (now - self._ttl,))
            conn.execute(
                "DELETE FROM room_starts WHERE started <= %s", (now - ROOM_WINDOW_SECONDS,)
            )
            if owner is not None:
                who = owner_digest(owner)
                started = conn.execute(
                    "SELECT started FROM room_starts WHERE owner = %s ORDER BY started", (who,)
                ).fetchall()
                if len(started) >= ROOMS_PER_OWNER:
                    raise too_many(now, started[0][0])
                conn.execute("INSERT INTO room_starts VALUES (%s, %s)", (who, now))
            (count,) = conn.execute("SELECT count(*) FROM rooms").fetchone()
            if count >= self._max_rooms:
                conn.execute(
                    "DELETE FROM rooms WHERE code IN "
                    "(SELECT code FROM rooms ORDER BY touched LIMIT %s)",
                    (count - self._max_rooms + 1,),
                )
            key, inserted = new_key(), 0
            while not inserted:
                code = new_code()
                inserted = conn.execute(
                    "INSERT INTO rooms (code, key, step, touched) VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT (code) DO NOTHING",
                    (code, key, int(step), now),
                ).rowcount
        return Room(code, key, int(step), now)

    def _row(self, code: object, columns: str) -> tuple | None:
        """The `columns` of open room `code`, or None."""
        if not is_code(code):
            return None
        with self._pool.connection() as conn:
            return conn.execute(
                f"SELECT {columns} FROM rooms WHERE code = %s AND touched >= %s",
                (code, self._clock() - self._ttl),
            ).fetchone()

    def step(self, code: str) -> int | None:
        """The step room `code` shows, or None if there is no such room (or it expired)."""
        row = self._row(code, "step")
        return None if row is None else row[0]

    def shown(self, code: str) -> Shown | None:
        """What room `code` shows, or None if there is no such room (or it expired)."""
        row = self._row(code, "step, high_contrast")
        return None if row is None else Shown(*row)

    def version(self, code: str) -> int | None:
        """Room `code`'s change counter, or None if there is no such room (or it expired)."""
        row = self._row(code, "version")
        return None if row is None else row[0]

    def is_presenter(self, code: str, key: str | None) -> bool:
        """Whether `key` is the presenter key of room `code`."""
        row = self._row(code, "key")
        return row is not None and same_key(row[0], key)

    def move(self, code: str, key: str | None, step: int) -> bool:
        """Set the room's step if `key` is its presenter's; says whether it did."""
        return self._set(code, key, "step", int(step))

    def set_contrast(self, code: str, key: str | None, high_contrast: bool) -> bool:
        """Switch the room's high contrast if `key` is its presenter's; says whether it did."""
        return self._set(code, key, "high_contrast", bool(high_contrast))

    def _set(self, code: str, key: str | None, column: str, value) -> bool:
        if not is_code(code):
            return False
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(NO_FLUSH)
            now = self._clock()
            row = conn.execute(
                "SELECT key FROM rooms WHERE code = %s AND touched >= %s FOR UPDATE",
                (code, now - self._ttl),
            ).fetchone()
            if row is None or not same_key(row[0], key):
                return False
            conn.execute(
                f"UPDATE rooms SET {column} = %s, touched = %s, version = version + 1 "
                "WHERE code = %s",
                (value, now, code),
            )
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, code))
        return True

    def subscribe(self, callback: Callable[[str], None]) -> Callable[[], None]:
        """Call `callback(code)` in a background thread after every change of any room, by any
        process on this database; returns the function that unsubscribes. Returns once the
        listening connection is up (or after CONNECT_TIMEOUT_SECONDS, retrying behind)."""
        remove = self._subscribers.add(callback)
        with self._lock:
            if self._listener is None:
                self._listener = threading.Thread(
                    target=self._listen, name="rooms-listener", daemon=True
                )
                self._listener.start()
        self._listening.wait(CONNECT_TIMEOUT_SECONDS)
        return remove

    def _listen(self) -> None:
        """The background thread: LISTEN, hand each NOTIFY to the subscribers; reconnect."""
        last_good: float | None = None
        while not self._closed.is_set():
            try:
                with psycopg.connect(
                    self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS,
                    application_name="dashboard-rooms-listener",
                ) as conn:  # fmt: skip
                    conn.execute(f"LISTEN {CHANNEL}")
                    if last_good is not None:
                        for (code,) in conn.execute(
                            "SELECT code FROM rooms WHERE touched >= %s",
                            (last_good - MISSED_MARGIN_SECONDS,),
                        ).fetchall():
                            self._subscribers.call(code)
                    self._listening.set()
                    while not self._closed.is_set():
                        last_good = self._clock()
                        for note in conn.notifies(timeout=LISTEN_POLL_SECONDS):
                            self._subscribers.call(note.payload)
            except psycopg.Error as exc:
                if not self._closed.is_set():
                    logging.getLogger(__name__).warning("rooms listener reconnects: %s", exc)
                    self._closed.wait(RECONNECT_SECONDS)

    def close(self) -> None:
        """Stop listening and close the pool (the store is not used after this)."""
        self._closed.set()
        if self._listener is not None:
            self._listener.join(timeout=LISTEN_POLL_SECONDS + CONNECT_TIMEOUT_SECONDS)
        self._pool.close()

    def __len__(self) -> int:
        with self._pool.connection() as conn:
            (count,) = conn.execute(
                "SELECT count(*) FROM rooms WHERE touched >= %s", (self._clock() - self._ttl,)
            ).fetchone()
        return count
