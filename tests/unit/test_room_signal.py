"""A room's public signal file: what it says, that it never says the key, and when it goes."""

from __future__ import annotations

import json
import os

import pytest

from core.serving.room_signal import signal_path, signal_text, sweep_signals, write_signal
from core.serving.rooms import RoomStore, Shown


def test_the_signal_says_the_step_and_contrast_and_nothing_else(tmp_path):
    store = RoomStore()
    room = store.create(step=4)
    store.set_contrast(room.code, room.key, True)
    write_signal(tmp_path, room.code, store.shown(room.code))
    text = (tmp_path / f"{room.code}.json").read_text()
    assert json.loads(text) == {"step": 4, "contrast": True}
    assert room.key not in text
    assert [p.name for p in tmp_path.iterdir()] == [f"{room.code}.json"]  # no temporary left


def test_the_same_state_is_always_the_same_text():
    assert signal_text(Shown(3, False)) == signal_text(Shown(3, False))
    assert signal_text(Shown(3, False)) != signal_text(Shown(3, True))
    assert signal_text(Shown(3, False)) != signal_text(Shown(4, False))


def test_a_new_state_replaces_the_file_and_an_ended_room_removes_it(tmp_path):
    write_signal(tmp_path, "ABCDEF", Shown(1, False))
    write_signal(tmp_path, "ABCDEF", Shown(2, False))
    assert json.loads((tmp_path / "ABCDEF.json").read_text())["step"] == 2
    write_signal(tmp_path, "ABCDEF", None)
    assert not (tmp_path / "ABCDEF.json").exists()
    write_signal(tmp_path, "ABCDEF", None)  # already gone: nothing to do


@pytest.mark.parametrize("code", ["../../etc", "abcdef", "ABC", "ABCDEF/..", "", "ÄBCDEF"])
def test_only_a_room_code_names_a_file(tmp_path, code):
    assert signal_path(tmp_path, code) is None
    write_signal(tmp_path, code, Shown(1, False))
    assert list(tmp_path.iterdir()) == []


def test_signals_not_written_for_longer_than_the_ttl_are_swept(tmp_path):
    write_signal(tmp_path, "ABCDEF", Shown(1, False))
    write_signal(tmp_path, "GHJKLM", Shown(1, False))
    old = tmp_path / "ABCDEF.json"
    os.utime(old, (old.stat().st_mtime - 100, old.stat().st_mtime - 100))
    assert sweep_signals(tmp_path, max_age=50) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["GHJKLM.json"]
    assert sweep_signals(tmp_path / "missing", max_age=50) == 0
