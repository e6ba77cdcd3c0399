"""Presentation rooms: only the presenter's key moves a room; rooms are apart; idle rooms end."""

from __future__ import annotations

from core.rooms import CODE_ALPHABET, CODE_LENGTH, RoomStore


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
