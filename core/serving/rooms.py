"""Presentation rooms: a presenter moves a room's step, audience screens follow it.

A room has a short public code (for the audience link) and a secret presenter key (for the
presenter link): only the key can move the room or switch its high contrast, which every
audience screen follows. Rooms nobody has moved for ROOM_TTL_SECONDS are forgotten. When
MAX_ROOMS are open, starting one more forgets the least recently used room. One owner (a browser
session) may start at most ROOMS_PER_OWNER rooms in ROOM_WINDOW_SECONDS. Any code or key, however
odd or long, is answered with "no such room" or "not the presenter", never an exception; keys
are compared in constant time.

Change notification, for audience screens that should not rerun until something changed:
`version(code)` is a counter that every accepted move or contrast switch bumps (None: no such
room), so a screen compares one number; `subscribe(callback)` calls `callback(code)` in a
background thread after any change of any room (and returns a function that unsubscribes).
`shown(code)` still says what a room shows.

Two backends behave the same way (the same tests run against both); `connect` gives the one the
settings ask for:
- `RoomStore`, in the server's memory: the default, for one server process. Rooms are short-lived
  and polled often, so memory is the cheapest place for them, and one process needs nothing more;
  SQLite would add a disk write per step and still not reach a second host.
- `core.serving.rooms_pg.PgRoomStore`, in PostgreSQL (DASHBOARD_DATABASE_URL): shared by every
  replica, so a presenter on one steers an audience on another; changes made by any process reach
  every subscriber through LISTEN/NOTIFY.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from core.settings import MAX_ROOMS, ROOM_TTL_SECONDS, ROOM_WINDOW_SECONDS, ROOMS_PER_OWNER

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on a projector
CODE_LENGTH = 6
KEY_BYTES = 16
MAX_KEY_LENGTH = 64
"""A presenter key longer than this is wrong without comparing it (ours are 22 characters)."""


class TooManyRooms(Exception):
    """This owner started too many rooms lately; the message says when to try again."""


@dataclass
class Room:
    """One room: its code, its presenter's key, the step it shows and when it was last used."""

    code: str
    key: str
    step: int = 1
    touched: float = field(default_factory=time.monotonic)
    high_contrast: bool = False
    version: int = 1


@dataclass(frozen=True)
class Shown:
    """What a room's screens show: its step, and whether in high contrast."""

    step: int
    high_contrast: bool


def is_code(text: object) -> bool:
    """Whether `text` could be a room code (right length, only code letters)."""
    return isinstance(text, str) and len(text) == CODE_LENGTH and set(text) <= set(CODE_ALPHABET)


def same_key(expected: str, given: object) -> bool:
    """Whether `given` is the presenter key `expected`, compared in constant time as bytes; any
    other value (None, not text, non-ASCII, over-long) is simply not the key."""
    if not isinstance(given, str) or not given or len(given) > MAX_KEY_LENGTH:
        return False
    return secrets.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))


def new_code() -> str:
    """A fresh room code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_key() -> str:
    """A fresh presenter key."""
    return secrets.token_urlsafe(KEY_BYTES)


def too_many(now: float, first_start: float) -> TooManyRooms:
    """The refusal for an owner who started ROOMS_PER_OWNER rooms, the first at `first_start`."""
    wait = max(1, round((ROOM_WINDOW_SECONDS - (now - first_start)) / 60))
    return TooManyRooms(
        f"You have started {ROOMS_PER_OWNER} rooms in the last {ROOM_WINDOW_SECONDS // 60} "
        f"minutes. Use one of them, or start a new one in about {wait} minute(s)."
    )


class Subscribers:
    """Callbacks to call with a room's code when it changes; each call is caught and logged, so
    that one failing subscriber neither stops the others nor the thread that calls them."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[str], None]] = []
        self._lock = threading.Lock()

    def add(self, callback: Callable[[str], None]) -> Callable[[], None]:
        """Add `callback`; returns the function that removes it."""
        with self._lock:
            self._callbacks.append(callback)

        def remove() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return remove

    def __bool__(self) -> bool:
        return bool(self._callbacks)

    def call(self, code: str) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(code)
            except Exception:  # a subscriber's bug must not end the notifications of the others
                logging.getLogger(__name__).exception("a room subscriber failed")


class Rooms(Protocol):
    """What both backends offer (see the module docstring)."""

    def create(self, step: int = 1, owner: str | None = None) -> Room: ...
    def step(self, code: str) -> int | None: ...
    def shown(self, code: str) -> Shown | None: ...
    def version(self, code: str) -> int | None: ...
    def is_presenter(self, code: str, key: str | None) -> bool: ...
    def move(self, code: str, key: str | None, step: int) -> bool: ...
    def set_contrast(self, code: str, key: str | None, high_contrast: bool) -> bool: ...
    def subscribe(self, callback: Callable[[str], None]) -> Callable[[], None]: ...
    def close(self) -> None: ...
    def __len__(self) -> int: ...


class RoomStore:
    """Thread-safe rooms in this process's memory, shared by every session of one server."""

    def __init__(self, ttl: float = ROOM_TTL_SECONDS, clock=time.monotonic,
                 max_rooms: int = MAX_ROOMS) -> None:  # fmt: skip
        self._rooms: dict[str, Room] = {}
        self._started: dict[str, deque[float]] = {}  # owner -> when it started its recent rooms
        self._lock = threading.Lock()
        self._ttl = ttl
        self._clock = clock
        self._max_rooms = max_rooms
        self._subscribers = Subscribers()
        self._changes: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._notifier: threading.Thread | None = None

    def _sweep(self) -> None:
        now = self._clock()
        for code in [c for c, r in self._rooms.items() if now - r.touched > self._ttl]:
            del self._rooms[code]
        for owner in list(self._started):
            times = self._started[owner]
            while times and now - times[0] >= ROOM_WINDOW_SECONDS:
                times.popleft()
            if not times:
                del self._started[owner]

    def _live(self, code: object) -> Room | None:
        """Room `code` if it is open (call with the lock held)."""
        self._sweep()
        return self._rooms.get(code) if is_code(code) else None

    def create(self, step: int = 1, owner: str | None = None) -> Room:
        """A new room at `step`, with a fresh code and presenter key. An `owner` (an opaque
        string, such as a session's id) may start ROOMS_PER_OWNER rooms per ROOM_WINDOW_SECONDS;
        raises TooManyRooms beyond that. None is the server itself, which is not limited."""
        with self._lock:
            self._sweep()
            now = self._clock()
            if owner is not None:
                started = self._started.setdefault(owner, deque())
                if len(started) >= ROOMS_PER_OWNER:
                    raise too_many(now, started[0])
                started.append(now)
            while len(self._rooms) >= self._max_rooms:
                idlest = min(self._rooms.values(), key=lambda r: r.touched)
                del self._rooms[idlest.code]
            code = new_code()
            while code in self._rooms:
                code = new_code()
            room = Room(code, new_key(), int(step), now)
            self._rooms[code] = room
            return Room(room.code, room.key, room.step, room.touched)

    def step(self, code: str) -> int | None:
        """The step room `code` shows, or None if there is no such room (or it expired)."""
        with self._lock:
            room = self._live(code)
            return None if room is None else room.step

    def shown(self, code: str) -> Shown | None:
        """What room `code` shows, or None if there is no such room (or it expired)."""
        with self._lock:
            room = self._live(code)
            return None if room is None else Shown(room.step, room.high_contrast)

    def version(self, code: str) -> int | None:
        """Room `code`'s change counter (see the module docstring), or None if there is none."""
        with self._lock:
            room = self._live(code)
            return None if room is None else room.version

    def is_presenter(self, code: str, key: str | None) -> bool:
        """Whether `key` is the presenter key of room `code`."""
        with self._lock:
            room = self._live(code)
            return room is not None and same_key(room.key, key)

    def move(self, code: str, key: str | None, step: int) -> bool:
        """Set the room's step if `key` is its presenter's; says whether it did."""
        return self._set(code, key, step=int(step))

    def set_contrast(self, code: str, key: str | None, high_contrast: bool) -> bool:
        """Switch the room's high contrast if `key` is its presenter's; says whether it did."""
        return self._set(code, key, high_contrast=bool(high_contrast))

    def _set(self, code: str, key: str | None, **values) -> bool:
        with self._lock:
            room = self._live(code)
            if room is None or not same_key(room.key, key):
                return False
            for name, value in values.items():
                setattr(room, name, value)
            room.touched = self._clock()
            room.version += 1
        if self._subscribers:
            self._changes.put(code)
        return True

    def subscribe(self, callback: Callable[[str], None]) -> Callable[[], None]:
        """Call `callback(code)` in a background thread after every change of any room; returns
        the function that unsubscribes."""
        remove = self._subscribers.add(callback)
        with self._lock:
            if self._notifier is None:
                self._notifier = threading.Thread(
                    target=self._notify, name="rooms-notifier", daemon=True
                )
                self._notifier.start()
        return remove

    def _notify(self) -> None:
        """The background thread: hands each change to the subscribers, in order."""
        while (code := self._changes.get()) is not None:
            self._subscribers.call(code)

    def close(self) -> None:
        """Stop the background thread, if any."""
        with self._lock:
            notifier, self._notifier = self._notifier, None
        if notifier is not None:
            self._changes.put(None)
            notifier.join(timeout=5)

    def __len__(self) -> int:
        with self._lock:
            self._sweep()
            return len(self._rooms)


def connect(database_url: str, pool_size: int = 4) -> Rooms:
    """The rooms the settings ask for: in PostgreSQL at `database_url` when one is given (shared
    by every replica), else in this process's memory."""
    if database_url:
        from core.serving.rooms_pg import PgRoomStore  # psycopg is loaded only when asked for

        return PgRoomStore(database_url, pool_size=pool_size)
    return RoomStore()
