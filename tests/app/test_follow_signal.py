"""AppTest of the room signals audience screens read (ui.follow): the presenter's page writes
them on every move, an audience page carries the follower, and with PostgreSQL a move made by
another replica reaches this process's signal file."""

from __future__ import annotations

import json
import time

import pytest

import ui.follow
import ui.state
from tests.app.helpers import run_page
from tests.app.test_shared_state import on_postgres  # noqa: F401 (a fixture)


@pytest.fixture
def signals(tmp_path, monkeypatch):
    """The signal files go to a folder of this test's own."""
    monkeypatch.setattr(ui.follow, "ROOM_SIGNAL_DIR", tmp_path)
    ui.follow._subscribed.clear()
    yield tmp_path
    ui.follow._subscribed.clear()


def signal(folder, code) -> dict | None:
    path = folder / f"{code}.json"
    return json.loads(path.read_text()) if path.exists() else None


def test_the_presenter_publishes_each_move_and_the_contrast(signals):
    room = ui.state.room_store().create(step=2)
    at = run_page("present.py", room=room.code, role="presenter", key=room.key)
    assert signal(signals, room.code) == {"step": 2, "contrast": False}
    at.button(key="present-next").click().run()
    assert signal(signals, room.code) == {"step": 3, "contrast": False}
    at.toggle(key="contrast").set_value(True).run()
    assert signal(signals, room.code) == {"step": 3, "contrast": True}
    assert room.key not in (signals / f"{room.code}.json").read_text()


def test_a_room_started_on_the_page_has_its_signal_at_once(signals):
    at = run_page("present.py", step="4")
    at.button(key="start-room").click().run()
    code = at.query_params["room"]
    assert signal(signals, code) == {"step": 4, "contrast": False}


def test_an_audience_page_carries_the_follower_of_what_it_shows(signals):
    room = ui.state.room_store().create(step=5)
    at = run_page("present.py", room=room.code)
    ids = [c.proto.id for c in at.get("bidi_component")]
    assert any(i.endswith("follow-room-5-0") for i in ids), ids
    assert signal(signals, room.code) == {"step": 5, "contrast": False}  # written if missing


def test_a_move_on_another_replica_reaches_this_signal_file(on_postgres, signals):  # noqa: F811
    from core.serving.rooms_pg import PgRoomStore

    other = PgRoomStore(on_postgres)  # the presenter's replica
    try:
        room = other.create(step=2)
        run_page("present.py", room=room.code)  # this process subscribes, writes step 2
        assert signal(signals, room.code) == {"step": 2, "contrast": False}
        assert other.move(room.code, room.key, 6)
        deadline = time.monotonic() + 10
        while signal(signals, room.code)["step"] != 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert signal(signals, room.code) == {"step": 6, "contrast": False}
    finally:
        other.close()
