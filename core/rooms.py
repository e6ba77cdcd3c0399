"""Presentation rooms: a presenter moves a room's step, audience screens follow it.

Kept in the server's memory. A room has a short public code (for the audience link) and a
secret presenter key (for the presenter link): only the key can move the room. Rooms nobody
has touched for ROOM_TTL are forgotten.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

ROOM_TTL_SECONDS = 4 * 60 * 60
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on a projector
CODE_LENGTH = 6
MAX_ROOMS = 1000


@dataclass
class Room:
    """One room: its code, its presenter's key, the step it shows and when it was last used."""

    code: str
    key: str
    step: int = 1
    touched: float = field(default_factory=time.monotonic)


class RoomStore:
    """Thread-safe rooms shared by every session of one server."""

    def __init__(self, ttl: float = ROOM_TTL_SECONDS, clock=time.monotonic) -> None:
        self._rooms: dict[str, Room] = {}
        self._lock = threading.Lock()
        self._ttl = ttl
        self._clock = clock

    def _sweep(self) -> None:
        now = self._clock()
        for code in [c for c, r in self._rooms.items() if now - r.touched > self._ttl]:
            del self._rooms[code]

    def create(self, step: int = 1) -> Room:
        """A new room at `step`, with a fresh code and presenter key."""
        with self._lock:
            self._sweep()
            if len(self._rooms) >= MAX_ROOMS:
                raise RuntimeError("too many open rooms; try again later")
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            while code in self._rooms:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            room = Room(code, secrets.token_urlsafe(16), step, self._clock())
            self._rooms[code] = room
            return Room(room.code, room.key, room.step, room.touched)

    def step(self, code: str) -> int | None:
        """The step room `code` shows, or None if there is no such room (or it expired)."""
        with self._lock:
            self._sweep()
            room = self._rooms.get(code)
            return None if room is None else room.step

    def is_presenter(self, code: str, key: str | None) -> bool:
        """Whether `key` is the presenter key of room `code`."""
        with self._lock:
            room = self._rooms.get(code)
            return bool(room and key and secrets.compare_digest(room.key, key))

    def move(self, code: str, key: str | None, step: int) -> bool:
        """Set the room's step if `key` is its presenter's; says whether it did."""
        with self._lock:
            self._sweep()
            room = self._rooms.get(code)
            if room is None or not key or not secrets.compare_digest(room.key, key):
                return False
            room.step = step
            room.touched = self._clock()
            return True
