"""Presentation rooms, in both backends (memory and a real PostgreSQL): only the presenter's key
moves a room; rooms are apart; idle rooms end; a change bumps the room's version and reaches the
subscribers, also across processes in PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

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
from tests.conftest import ROOT


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "postgres"])
def rooms(request):
    """A function that makes a room store (options as RoomStore's) in each backend in turn;
    every store made is closed after the test."""
    made = []
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else None

    def make(**options):
        if url is None:
            made.append(RoomStore(**options))
        else:
            from core.serving.rooms_pg import PgRoomStore

            made.append(PgRoomStore(url, **options))
        return made[-1]

    yield make
    for store in made:
        store.close()


def test_new_room_has_a_readable_code_and_a_secret_key(rooms):
    room = rooms().create(step=3)
    assert len(room.code) == CODE_LENGTH and set(room.code) <= set(CODE_ALPHABET)
    assert len(room.key) >= 20 and room.step == 3


def test_only_the_presenter_key_moves_a_room(rooms):
    store = rooms()
    room = store.create()
    assert not store.move(room.code, None, 5)
    assert not store.move(room.code, "guess", 5)
    assert store.step(room.code) == 1
    assert store.move(room.code, room.key, 5)
    assert store.step(room.code) == 5
    assert store.is_presenter(room.code, room.key) and not store.is_presenter(room.code, "x")


def test_only_the_presenter_key_switches_the_contrast_every_screen_follows(rooms):
    store = rooms()
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


def test_rooms_are_isolated(rooms):
    store = rooms()
    a, b = store.create(), store.create()
    assert a.code != b.code
    store.move(a.code, a.key, 4)
    assert store.step(b.code) == 1
    assert not store.move(b.code, a.key, 7)  # one room's key does not move another


def test_idle_rooms_expire_and_used_rooms_do_not(rooms):
    clock = Clock()
    store = rooms(ttl=60, clock=clock)
    idle, busy = store.create(), store.create()
    clock.now += 50
    store.move(busy.code, busy.key, 2)
    clock.now += 20
    assert store.step(idle.code) is None
    assert store.step(busy.code) == 2


def test_unknown_room(rooms):
    store = rooms()
    assert store.step("NOPE42") is None
    assert not store.move("NOPE42", "k", 2)


@pytest.mark.parametrize(
    "key", ["ключ", "🔑" * 10, "\udc80", "a\x00b", "", " ", "x" * (MAX_KEY_LENGTH + 1), None, 42]
)
def test_any_key_is_answered_without_an_exception(rooms, key):
    store = rooms()
    room = store.create()
    assert not store.is_presenter(room.code, key)
    assert not store.move(room.code, key, 3)
    assert store.step(room.code) == 1


@pytest.mark.parametrize("code", ["ключ", "ABC", "", "A" * 10_000, "abcdef", "\x00" * 6, None])
def test_any_code_is_no_room(rooms, code):
    store = rooms()
    store.create()
    assert store.step(code) is None
    assert not store.is_presenter(code, "k") and not store.move(code, "k", 2)


def test_a_session_may_start_only_a_few_rooms_in_a_while(rooms):
    clock = Clock()
    store = rooms(clock=clock)
    for _ in range(ROOMS_PER_OWNER):
        store.create(owner="session-a")
    with pytest.raises(TooManyRooms, match=f"started {ROOMS_PER_OWNER} rooms"):
        store.create(owner="session-a")
    store.create(owner="session-b")  # another session is not held back
    store.create()  # nor the server itself
    clock.now += ROOM_WINDOW_SECONDS
    store.create(owner="session-a")  # later, the first session may start rooms again


def test_a_full_server_forgets_the_least_recently_used_room(rooms):
    clock = Clock()
    store = rooms(clock=clock, max_rooms=3)
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


def test_every_accepted_change_bumps_the_version_and_nothing_else_does(rooms):
    store = rooms()
    room, other = store.create(step=2), store.create()
    first = store.version(room.code)
    assert isinstance(first, int)
    assert not store.move(room.code, "guess", 5) and not store.set_contrast(room.code, None, True)
    assert store.version(room.code) == first
    assert store.move(room.code, room.key, 3)
    assert store.version(room.code) == first + 1
    assert store.set_contrast(room.code, room.key, True)
    assert store.version(room.code) == first + 2
    assert store.version(other.code) == store.version(other.code) == first  # apart
    assert store.version("NOPE42") is None and store.version("\x00" * 6) is None
    assert store.version(None) is None


class Heard:
    """A subscriber that notes every room code it is called with."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.changed = threading.Condition()

    def __call__(self, code: str) -> None:
        with self.changed:
            self.codes.append(code)
            self.changed.notify_all()

    def wait_for(self, code: str, count: int = 1, timeout: float = 20) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.codes.count(code) >= count, timeout)


def test_subscribers_hear_every_change_in_a_background_thread(rooms):
    store = rooms()
    room = store.create()
    heard, threads = Heard(), []

    def broken(code: str) -> None:
        threads.append(threading.current_thread())
        raise RuntimeError("a subscriber's bug")

    store.subscribe(broken)
    unsubscribe = store.subscribe(heard)
    assert store.move(room.code, room.key, 2) and store.set_contrast(room.code, room.key, True)
    assert heard.wait_for(room.code, count=2)  # the broken subscriber did not stop it
    assert threads and threads[0] is not threading.current_thread()
    assert not store.move(room.code, "guess", 4)
    unsubscribe()
    assert store.move(room.code, room.key, 3)
    time.sleep(1.5)  # long enough for a notification to arrive, were one still sent
    assert heard.codes == [room.code, room.code]


def test_replicas_share_rooms_and_hear_each_others_moves(pg_url):
    from core.serving.rooms_pg import PgRoomStore

    a, b = PgRoomStore(pg_url), PgRoomStore(pg_url)
    try:
        heard = Heard()
        a.subscribe(heard)
        room = a.create(step=1)
        assert b.shown(room.code) == Shown(1, False) and b.is_presenter(room.code, room.key)
        assert b.move(room.code, room.key, 4)  # a presenter on replica B
        assert heard.wait_for(room.code)  # reaches replica A's audience
        assert a.shown(room.code) == Shown(4, False) and a.version(room.code) == 2
        script = (
            "import sys; from core.serving.rooms_pg import PgRoomStore\n"
            "s = PgRoomStore(sys.argv[1]); print(s.move(sys.argv[2], sys.argv[3], 7)); s.close()"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, pg_url, room.code, room.key], capture_output=True,
            text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        assert done.returncode == 0 and done.stdout.strip() == "True", done.stderr
        assert heard.wait_for(room.code, count=2)  # another process's move reached us too
        assert a.step(room.code) == 7
    finally:
        a.close()
        b.close()


def test_the_listener_reconnects_and_announces_what_it_missed(pg_url):
    import psycopg

    from core.serving.rooms_pg import PgRoomStore

    store = PgRoomStore(pg_url)
    try:
        heard = Heard()
        store.subscribe(heard)
        room = store.create()
        with psycopg.connect(pg_url, autocommit=True) as admin:
            ended = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'dashboard-rooms-listener'"
            ).fetchall()
            assert ended == [(True,)]
            assert store.move(room.code, room.key, 5)  # while the listener may be away
        assert heard.wait_for(room.code)
        assert store.move(room.code, room.key, 6)  # and it listens again afterwards
        assert heard.wait_for(room.code, count=len(heard.codes) + 1)
    finally:
        store.close()


def test_replicas_starting_rooms_at_once_keep_the_limits(pg_url):
    from core.serving.rooms_pg import PgRoomStore

    stores = [PgRoomStore(pg_url, max_rooms=6, pool_size=1) for _ in range(4)]
    start, made, refused = threading.Barrier(4), [], []

    def create(store) -> None:
        start.wait()
        for _ in range(4):
            try:
                made.append(store.create(owner="one session on every replica"))
            except TooManyRooms:
                refused.append(1)
            stores[0].create()  # the server's own rooms: not limited, but MAX_ROOMS holds

    threads = [threading.Thread(target=create, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert len(made) == ROOMS_PER_OWNER and len(refused) == 16 - ROOMS_PER_OWNER
        assert len(stores[0]) == 6
    finally:
        for store in stores:
            store.close()


@pytest.mark.parametrize("owner", ["", "\x00", "\udc80", "ключ" * 1000])
def test_any_owner_is_counted_without_an_exception(rooms, owner):
    store = rooms()
    for _ in range(ROOMS_PER_OWNER):
        store.create(owner=owner)
    with pytest.raises(TooManyRooms):
        store.create(owner=owner)
