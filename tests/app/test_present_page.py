"""AppTest of presenter mode: ?step=N, Next/Previous, and rooms with presenter and audience."""

from __future__ import annotations

import pytest

from core.serving.rooms import ROOMS_PER_OWNER
from figures.options import CONTRAST_PAPER, PRESENTER, PRESENTER_SCREEN
from tests.app.helpers import figures, run_page, texts
from ui.presenter import PAD_Y
from ui.state import room_store


def title(at) -> str:
    return at.title[0].value


def progress(at) -> str:
    return next(m.value for m in at.markdown if " / " in m.value)


@pytest.mark.parametrize(("param", "shown"), [("4", 4), ("1", 1), ("99", 11), ("abc", 1)])
def test_step_parameter_opens_that_step(param, shown):
    at = run_page("present.py", step=param)
    assert progress(at) == f"{shown} / 11"


@pytest.mark.parametrize("contrast", [None, "true"])
def test_the_chart_is_drawn_for_the_big_screen_in_the_chosen_contrast(contrast):
    at = run_page("present.py", step="2", **({"contrast": contrast} if contrast else {}))
    (layout,) = [f["layout"] for f in figures(at)]
    assert layout["font"]["size"] == PRESENTER.font_size and layout["showlegend"] is False
    assert layout.get("paper_bgcolor") == (CONTRAST_PAPER if contrast else None)
    # until the browser reports its size, the slide is drawn for PRESENTER_SCREEN
    assert layout["height"] == PRESENTER_SCREEN[1] - 2 * PAD_Y


def test_the_presenters_contrast_reaches_the_room_and_its_audience():
    room = room_store().create(step=3)
    audience = run_page("present.py", room=room.code)
    assert figures(audience)[0]["layout"].get("paper_bgcolor") is None
    at = run_page("present.py", room=room.code, role="presenter", key=room.key)
    at.toggle(key="contrast").set_value(True).run()
    assert room_store().shown(room.code).high_contrast
    audience.run()
    assert figures(audience)[0]["layout"]["paper_bgcolor"] == CONTRAST_PAPER
    assert not audience.toggle  # the projector shows the room, with no controls of its own
    at.toggle(key="contrast").set_value(False).run()
    assert not room_store().shown(room.code).high_contrast


def test_next_previous_first_last_move_the_step():
    at = run_page("present.py", step="4")
    assert "Uzbekistan" in title(at)
    at.button(key="present-next").click().run()
    assert progress(at) == "5 / 11" and "Kyrgyzstan" in title(at)
    at.button(key="present-prev").click().run()
    at.button(key="present-prev").click().run()
    assert progress(at) == "3 / 11"
    at.button(key="present-last").click().run()
    assert progress(at) == "11 / 11" and at.button(key="present-next").disabled
    at.button(key="present-first").click().run()
    assert progress(at) == "1 / 11" and at.button(key="present-prev").disabled
    at.button(key="present-goto-7").click().run()
    assert progress(at) == "7 / 11"


def test_presenter_sees_notes_and_next_step_and_moves_the_room():
    room = room_store().create(step=2)
    at = run_page("present.py", room=room.code, role="presenter", key=room.key)
    page = texts(at)
    assert "Speaker notes" in page and "Next, step 3" in page
    assert any("Preflight: all checks passed" in e.label for e in at.expander)
    at.button(key="present-next").click().run()
    assert room_store().step(room.code) == 3


def test_audience_follows_and_cannot_move_the_room():
    store = room_store()
    room = store.create(step=5)
    at = run_page("present.py", room=room.code)
    assert progress(at) == "5 / 11"
    assert not [b for b in at.button if b.key and b.key.startswith("present-")]
    assert "Speaker notes" not in texts(at)


def test_presenter_link_without_its_key_cannot_move_the_room():
    room = room_store().create(step=1)
    at = run_page("present.py", room=room.code, role="presenter", key="wrong")
    assert "cannot move the room" in texts(at)
    assert not [b for b in at.button if b.key and b.key.startswith("present-")]


def test_unknown_room_says_so():
    at = run_page("present.py", room="ZZZZZZ")
    assert "There is no room ZZZZZZ" in at.error[0].value


@pytest.mark.parametrize("key", ["ключ", "🔑", "x" * 5_000])
def test_an_odd_presenter_key_is_just_wrong(key):
    room = room_store().create(step=2)
    at = run_page("present.py", room=room.code, role="presenter", key=key)
    assert "cannot move the room" in texts(at)
    assert room_store().step(room.code) == 2


def test_an_odd_room_link_says_there_is_no_such_room():
    at = run_page("present.py", room="ABC", role="presenter", key="ключ")
    assert "There is no room ABC" in at.error[0].value
    at = run_page("present.py", room="Ж" * 5_000, role="presenter", key="ключ")
    assert "There is no room" in at.error[0].value and len(at.error[0].value) < 300


def test_a_session_starting_too_many_rooms_is_told_plainly():
    at = run_page("present.py")
    at.button(key="start-room").click().run()
    assert at.query_params["role"] in ("presenter", ["presenter"])
    owner = at.session_state["room_owner"]
    for _ in range(ROOMS_PER_OWNER - 1):
        room_store().create(owner=owner)
    for name in ("room", "role", "key"):
        del at.query_params[name]
    at.run()
    at.button(key="start-room").click().run()
    assert any(f"started {ROOMS_PER_OWNER} rooms" in w.value for w in at.warning)
    assert "room" not in at.query_params
