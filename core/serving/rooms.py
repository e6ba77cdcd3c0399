"""Presentation rooms: a presenter moves a room's step, audience screens follow it.

Kept in the server's memory. A room has a short public code (for the audience link) and a
secret presenter key (for the presenter link): only the key can move the room or switch its
high contrast, which every audience screen follows. Rooms nobody
has moved for ROOM_TTL_SECONDS are forgotten. When MAX_ROOMS are open, starting one more
forgets the least recently used room. One owner (a browser session) may start at most
ROOMS_PER_OWNER rooms in ROOM_WINDOW_SECONDS. Any code or key, however odd or long, is answered
with "no such room" or "not the presenter", never an exception.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Shown:
    """What a room's screens show: its step, and whether in high contrast."""

    step: int
    high_contrast: bool


def is_code(text: object) -> bool:
    """Whether `text` could be a room code (right length, only code letters)."""
    return isinstance(text, str) and len(text) == CODE_LENGTH and set(text) <= set(CODE_ALPHABET)


def _same_key(expected: str, given: object) -> bool:
    """Whether `given` is the presenter key `expected`, compared in constant time as bytes; any
    other value (None, not text, non-ASCII, over-long) is simply not the key."""
    if not isinstance(given, str) or not given or len(given) > MAX_KEY_LENGTH:
        return False
    return secrets.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))


class RoomStore:
    """Thread-safe rooms shared by every session of one server."""

    def __init__(self, ttl: float = ROOM_TTL_SECONDS, clock=time.monotonic) -> None:
        self._rooms: dict[str, Room] = {}
        self._started: dict[str, deque[float]] = {}  # owner -> when it started its recent rooms
        self._lock = threading.Lock()
        self._ttl = ttl
        self._clock = clock

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
                    wait = max(1, round((ROOM_WINDOW_SECONDS - (now - started[0])) / 60))
                    raise TooManyRooms(
                        f"You have started {ROOMS_PER_OWNER} rooms in the last "
                        f"{ROOM_WINDOW_SECONDS // 60} minutes. Use one of them, or start a new "
                        f"one in about {wait} minute(s)."
                    )
                started.append(now)
            while len(self._rooms) >= MAX_ROOMS:
                idlest = min(self._rooms.values(), key=lambda r: r.touched)
                del self._rooms[idlest.code]
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            while code in self._rooms:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            room = Room(code, secrets.token_urlsafe(KEY_BYTES), step, now)
            self._rooms[code] = room
            return Room(room.code, room.key, room.step, room.touched)

    def step(self, code: str) -> int | None:
        """The step room `code` shows, or None if there is no such room (or it expired)."""
        with self._lock:
            self._sweep()
            room = self._rooms.get(code) if is_code(code) else None
            return None if room is None else room.step

    def shown(self, code: str) -> Shown | None:
        """What room `code` shows, or None if there is no such room (or it expired)."""
        with self._lock:
            self._sweep()
            room = self._rooms.get(code) if is_code(code) else None
            return None if room is None else Shown(room.step, room.high_contrast)

    def is_presenter(self, code: str, key: str | None) -> bool:
        """Whether `key` is the presenter key of room `code`."""
        with self._lock:
            room = self._rooms.get(code) if is_code(code) else None
            return room is not None and _same_key(room.key, key)

    def move(self, code: str, key: str | None, step: int) -> bool:
        """Set the room's step if `key` is its presenter's; says whether it did."""
        return self._set(code, key, step=step)

    def set_contrast(self, code: str, key: str | None, high_contrast: bool) -> bool:
        """Switch the room's high contrast if `key` is its presenter's; says whether it did."""
        return self._set(code, key, high_contrast=bool(high_contrast))

    def _set(self, code: str, key: str | None, **values) -> bool:
        with self._lock:
            self._sweep()
            room = self._rooms.get(code) if is_code(code) else None
            if room is None or not _same_key(room.key, key):
                return False
            for name, value in values.items():
                setattr(room, name, value)
            room.touched = self._clock()
            return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._rooms)
