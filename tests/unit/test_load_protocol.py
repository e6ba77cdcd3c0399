"""The load harness's protocol client, fed with ForwardMsgs made here (no server): what it keeps
of the screen, the message cache, timers, and what it sends."""

from __future__ import annotations

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.load.protocol import (
    CACHE_AGE,
    EARLY_FOR_RERUN,
    FRAGMENT,
    FULL,
    ProtocolError,
    Session,
    widget_key,
)

AS_OF_ID = "$$ID-3f2a-as_of"


@pytest.mark.parametrize(
    ("widget_id", "key"),
    [
        (AS_OF_ID, "as_of"),
        ("$$ID-3f2a-present-chart-2", "present-chart-2"),
        ("$$ID-3f2a-None", None),
        ("", None),
    ],
)
def test_widget_key_is_what_follows_the_hash(widget_id, key):
    assert widget_key(widget_id) == key


def new_session(run_id: str = "r1", fragments: tuple[str, ...] = ()) -> ForwardMsg:
    msg = ForwardMsg()
    msg.new_session.name = "app"
    msg.metadata.run.script_run_id = run_id
    msg.metadata.run.fragment_ids.extend(fragments)
    return msg


def finished(status: int = FULL, run_id: str = "r1") -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = status
    msg.metadata.run.script_run_id = run_id
    return msg


def slider(path: tuple[int, ...], widget_id: str = AS_OF_ID, fragment: str = "") -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend(path)
    msg.delta.new_element.slider.id = widget_id
    msg.delta.new_element.slider.options.extend(["1 Mar 2022", "2 Mar 2022"])
    msg.delta.fragment_id = fragment
    return msg


def markdown(path: tuple[int, ...], body: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend(path)
    msg.delta.new_element.markdown.body = body
    return msg


def feed(session: Session, *messages: ForwardMsg, now: float = 0.0) -> None:
    for msg in messages:
        session._handle(msg, now)


def test_widgets_are_found_by_key_with_their_fragment():
    s = Session("http://127.0.0.1:1")
    feed(s, new_session(), slider((0, 2), fragment="frag1"), markdown((0, 1), "hello"))
    shown = s.widget("as_of")
    assert shown.kind == "slider" and shown.fragment_id == "frag1"
    assert [m.proto.body for m in s.find("markdown")] == ["hello"]
    with pytest.raises(ProtocolError):
        s.widget("cell")


def test_a_full_run_drops_what_it_did_not_draw_again():
    s = Session("http://127.0.0.1:1")
    s._started.add("r1")
    feed(s, new_session(), markdown((0, 0), "a"), markdown((0, 1), "b"), finished())
    s._started.add("r2")
    feed(s, new_session("r2"), markdown((0, 0), "a2"), finished(run_id="r2"))
    assert [m.proto.body for m in s.find("markdown")] == ["a2"]


def test_a_fragment_run_keeps_the_rest_of_the_page():
    s = Session("http://127.0.0.1:1")
    s._started.update({"r1", "r2"})
    feed(s, new_session(), markdown((0, 0), "a"), markdown((0, 1), "b"), finished())
    feed(s, new_session("r2", ("frag",)), markdown((0, 1), "b2"), finished(FRAGMENT, "r2"))
    assert [m.proto.body for m in s.find("markdown")] == ["a", "b2"]


def test_navigation_and_page_info_set_the_page_and_link():
    s = Session("http://127.0.0.1:1")
    nav = ForwardMsg()
    nav.navigation.page_script_hash = "h-matrix"
    for path, page_hash in (("", "h-matrix"), ("compare", "h-compare")):
        page = nav.navigation.app_pages.add()
        page.url_pathname, page.page_script_hash = path, page_hash
    info = ForwardMsg()
    info.page_info_changed.query_string = "as_of=2023-05-30"
    feed(s, nav, info)
    assert s.pages == {"": "h-matrix", "compare": "h-compare"}
    assert s.page_script_hash == "h-matrix"
    assert s.query() == {"as_of": ["2023-05-30"]}


def cacheable(path: tuple[int, ...], body: str) -> ForwardMsg:
    msg = markdown(path, body)
    msg.hash, msg.metadata.cacheable = f"hash-{body}", True
    return msg


def test_a_ref_hash_is_drawn_from_the_cache_at_its_own_place():
    s = Session("http://127.0.0.1:1")
    feed(s, new_session(), cacheable((0, 3), "big"))
    ref = ForwardMsg()
    ref.ref_hash = "hash-big"
    ref.metadata.delta_path.extend((0, 5))
    feed(s, ref)
    assert s.elements[(0, 5)].proto.body == "big"
    assert list(s._client_state().rerun_script.cached_message_hashes) == ["hash-big"]


def test_an_unknown_ref_hash_is_an_error():
    ref = ForwardMsg()
    ref.ref_hash = "never-sent"
    with pytest.raises(ProtocolError, match="not in the message cache"):
        feed(Session("http://127.0.0.1:1"), ref)


def test_cached_messages_unused_for_a_few_full_runs_are_dropped():
    s = Session("http://127.0.0.1:1")
    feed(s, new_session(), cacheable((0, 0), "big"))
    for n in range(CACHE_AGE + 1):
        run_id = f"run{n}"
        s._started.add(run_id)
        feed(s, new_session(run_id), finished(run_id=run_id))
    assert s.cache == {}


def test_auto_rerun_arms_a_timer_and_a_full_run_clears_it():
    s = Session("http://127.0.0.1:1")
    arm = ForwardMsg()
    arm.auto_rerun.interval, arm.auto_rerun.fragment_id = 0.5, "poll"
    feed(s, arm, now=10.0)
    assert s.timers == {"poll": (0.5, 10.5)}
    feed(s, new_session("r2", ("poll",)))
    assert "poll" in s.timers  # a fragment run keeps the timers
    feed(s, new_session("r3"))
    assert s.timers == {}


def test_a_value_the_server_sets_replaces_the_one_sent():
    s = Session("http://127.0.0.1:1")
    feed(s, new_session(), slider((0, 2)))
    s._states[AS_OF_ID] = s._client_state().rerun_script.widget_states.widgets.add()
    echoed = slider((0, 2))
    echoed.delta.new_element.slider.set_value = True
    feed(s, echoed)
    assert AS_OF_ID not in s._states


class FakeSocket:
    """A websocket that answers each sent rerun with prepared ForwardMsgs."""

    def __init__(self, replies: list[list[ForwardMsg]]) -> None:
        self.replies, self.sent, self.queue = replies, [], []

    def send_binary(self, data: bytes) -> None:
        msg = BackMsg()
        msg.ParseFromString(data)
        self.sent.append(msg)
        self.queue += [m.SerializeToString() for m in self.replies.pop(0)]

    def settimeout(self, seconds: float) -> None:
        pass

    def recv(self) -> bytes:
        return self.queue.pop(0)


def test_a_click_is_sent_once_from_its_fragment_and_timed_to_its_own_finish():
    s = Session("http://127.0.0.1:1", timeout=5)
    feed(s, new_session("r0"), slider((0, 2), "$$ID-1-go", fragment="frag"))
    s.page_name, s.page_script_hash, s.query_string = "", "h-matrix", "x=1"
    # an older run finishing must not count; one ended early for a rerun neither
    click_replies = [
        finished(run_id="r0"),
        new_session("r1", ("frag",)),
        finished(EARLY_FOR_RERUN, "r1"),
        new_session("r2", ("frag",)),
        finished(FRAGMENT, "r2"),
    ]
    s.ws = FakeSocket([click_replies, [new_session("r3"), finished(FULL, "r3")]])
    run = s.click("go")
    assert run.status == FRAGMENT and run.messages == 5
    sent = s.ws.sent[0].rerun_script
    assert sent.fragment_id == "frag" and sent.query_string == "x=1"
    assert [(w.id, w.trigger_value) for w in sent.widget_states.widgets] == [("$$ID-1-go", True)]
    s.rerun()
    assert list(s.ws.sent[1].rerun_script.widget_states.widgets) == []


def test_a_timers_fragment_run_is_not_the_answer_to_a_full_run():
    s = Session("http://127.0.0.1:1", timeout=5)
    s.ws = FakeSocket([[new_session("poll-run", ("poll",)), finished(FRAGMENT, "poll-run"),
                        new_session("r1"), finished(FULL, "r1")]])  # fmt: skip
    run = s.rerun()
    assert run.status == FULL and run.messages == 4


def test_no_finish_in_time_is_an_error():
    s = Session("http://127.0.0.1:1", timeout=0.2)

    class Silent(FakeSocket):
        def recv(self) -> bytes:
            import websocket

            raise websocket.WebSocketTimeoutException()

    s.ws = Silent([[]])
    with pytest.raises(ProtocolError, match="no script_finished"):
        s.rerun()
