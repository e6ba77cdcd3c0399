"""Presentation rooms: only the presenter's key moves a room; rooms are apart; idle rooms end."""

from __future__ import annotations

import pytest

import core.serving.rooms
from core.serving.rooms import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_KEY_LENGTH,
    ROOM_WINDOW_SECONDS,
    ROOMS_PER_OWNER,
    RoomStore,
    Shown,
    TooManyRooms,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_new_room_has_a_readable_code_and_a_secret_key():
    room = RoomStore().create(step=3)
    assert len(room.code) == CODE_LENGTH and set(room.code) <= set(CODE_ALPHABET)
    assert len(room.key) >= 20 and room.step == 3


def test_only_the_presenter_key_moves_a_room():
    store = RoomStore()
    room = store.create()
    assert not store.move(room.code, None, 5)
    assert not store.move(room.code, "guess", 5)
    assert store.step(room.code) == 1
    assert store.move(room.code, room.key, 5)
    assert store.step(room.code) == 5
    assert store.is_presenter(room.code, room.key) and not store.is_presenter(room.code, "x")


def test_only_the_presenter_key_switches_the_contrast_every_screen_follows():
    store = RoomStore()
    room, other = store.create(step=2), store.create(step=2)
    assert store.shown(room.code) == Shown(step=2, high_contrast=False)
    assert not store.set_contrast(room.code, "guess", True)
    assert not store.set_contrast(room.code, other.key, True)
    assert store.shown(room.code) == Shown(2, False)
    assert store.set_contrast(room.code, room.key, True)
    assert store.shown(room.code) == Shown(2, True)
    assert store.shown(other.code) == Shown(2, False)
    assert store.move(room.code, room.key, 4) and store.shown(room.code) == Shown(4, True)
    assert store.shown("ZZZZZZ") is None


def test_rooms_are_isolated():
    store = RoomStore()
    a, b = store.create(), store.create()
    assert a.code != b.code
    store.move(a.code, a.key, 4)
    assert store.step(b.code) == 1
    assert not store.move(b.code, a.key, 7)  # one room's key does not move another


def test_idle_rooms_expire_and_used_rooms_do_not():
    clock = Clock()
    store = RoomStore(ttl=60, clock=clock)
    idle, busy = store.create(), store.create()
    clock.now += 50
    store.move(busy.code, busy.key, 2)
    clock.now += 20
    assert store.step(idle.code) is None
    assert store.step(busy.code) == 2


def test_unknown_room():
    store = RoomStore()
    assert store.step("NOPE42") is None
    assert not store.move("NOPE42", "k", 2)


@pytest.mark.parametrize(
    "key", ["ключ", "🔑" * 10, "\udc80", "a\x00b", "", " ", "x" * (MAX_KEY_LENGTH + 1), None, 42]
)
def test_any_key_is_answered_without_an_exception(key):
    store = RoomStore()
    room = store.create()
    assert not store.is_presenter(room.code, key)
    assert not store.move(room.code, key, 3)
    assert store.step(room.code) == 1


@pytest.mark.parametrize("code", ["ключ", "ABC", "", "A" * 10_000, "abcdef", "\x00" * 6, None])
def test_any_code_is_no_room(code):
    store = RoomStore()
    store.create()
    assert store.step(code) is None
    assert not store.is_presenter(code, "k") and not store.move(code, "k", 2)


def test_a_session_may_start_only_a_few_rooms_in_a_while():
    clock = Clock()
    store = RoomStore(clock=clock)
    for _ in range(ROOMS_PER_OWNER):
        store.create(owner="session-a")
    with pytest.raises(TooManyRooms, match=f"started {ROOMS_PER_OWNER} rooms"):
        store.create(owner="session-a")
    store.create(owner="session-b")  # another session is not held back
    store.create()  # nor the server itself
    clock.now += ROOM_WINDOW_SECONDS
    store.create(owner="session-a")  # later, the first session may start rooms again


def test_a_full_server_forgets_the_least_recently_used_room(monkeypatch):
    monkeypatch.setattr(core.serving.rooms, "MAX_ROOMS", 3)
    clock = Clock()
    store = RoomStore(clock=clock)
    rooms = []
    for _ in range(3):
        clock.now += 1
        rooms.append(store.create())
    clock.now += 1
    store.move(rooms[0].code, rooms[0].key, 2)  # the oldest room is in use again
    clock.now += 1
    newest = store.create()  # not refused
    assert len(store) == 3
    assert store.step(rooms[1].code) is None  # the idlest room went
    assert store.step(rooms[0].code) == 2 and store.step(newest.code) == 1
