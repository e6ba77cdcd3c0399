"""How an audience screen follows its room without costing the server anything while the room
stands still.

The presenter's page publishes what the room shows to a small static file
(core.serving.room_signal). On the audience screen a hidden component reads that file every
FOLLOW_POLL_SECONDS with a plain HTTP GET (Streamlit's static serving: no script runs, no
session is touched) and asks for a rerun of the slide only when the text differs from the one
the slide was drawn for; then it waits for the new slide, which mounts a new follower, without
reading. If that rerun is lost (a websocket hiccup, a rerun that raced another), the difference
is still there at the next read, FOLLOW_RETRY_SECONDS later, and it asks again: no timer of
Streamlit's has to survive, so a screen cannot stop following.
"""

from __future__ import annotations

import streamlit as st

from core.serving.room_signal import signal_path, signal_text, sweep_signals, write_signal
from core.serving.rooms import Rooms, Shown
from core.settings import FOLLOW_POLL_SECONDS, ROOM_SIGNAL_DIR, ROOM_TTL_SECONDS

SIGNAL_URL = "/app/static/rooms/{code}.json"
FOLLOWER_KEY = "follow-room"
"""The follower's key starts with this (then the slide it follows); the big screen hides it."""
FOLLOW_RETRY_SECONDS = 4
"""A screen whose rerun has not brought the new step this long after asking asks again."""
FOLLOW_JS = """
export default function ({ data, setTriggerValue, parentElement }) {
  const box = parentElement.host || parentElement;
  clearTimeout(box.__followTimer);
  const { url, shown, poll, retry } = data;
  let stopped = false;
  const read = async () => {
    let text = null;
    try {
      const reply = await fetch(url, { cache: "no-store", credentials: "same-origin" });
      text = reply.ok ? (await reply.text()).trim() : reply.status === 404 ? "ended" : null;
    } catch (error) {
      text = null;  // the server is unreachable for now: Streamlit reconnects, keep reading
    }
    if (stopped) return;
    let wait = poll;
    if (text !== null && text !== shown) {
      setTriggerValue("changed", text);
      wait = retry;  // the new slide mounts a new follower; read again only if it never comes
    }
    box.__followTimer = setTimeout(read, wait);
  };
  read();  // at once: the room may have moved while this slide was being drawn
  return () => { stopped = true; clearTimeout(box.__followTimer); };
}
"""
_follower = st.components.v2.component("present_follow_room", js=FOLLOW_JS)


def follow(code: str, shown: Shown) -> None:
    """The hidden follower of room `code`, whose slide shows `shown`: it triggers a rerun of the
    fragment it is in when the room's signal says something else (or that the room ended)."""
    _follower(
        key=f"{FOLLOWER_KEY}-{shown.step}-{int(shown.high_contrast)}",  # one per slide drawn
        data={
            "url": SIGNAL_URL.format(code=code),
            "shown": signal_text(shown),
            "poll": round(FOLLOW_POLL_SECONDS * 1000),
            "retry": FOLLOW_RETRY_SECONDS * 1000,
        },
        on_changed_change=lambda: None,
    )


def publish_room(store: Rooms, code: str) -> None:
    """Write room `code`'s signal from the store (removing it if the room ended), and forget
    the signals of rooms that expired."""
    write_signal(ROOM_SIGNAL_DIR, code, store.shown(code))
    sweep_signals(ROOM_SIGNAL_DIR, ROOM_TTL_SECONDS)


def publish_changes(store: Rooms, code: str) -> None:
    """Keep this process's signal files current with every change of any room, made by any
    process sharing the store (PostgreSQL notifies them all); and write room `code`'s signal
    if there is none yet (the room was started before this process subscribed)."""
    _subscribed(id(store), store)
    path = signal_path(ROOM_SIGNAL_DIR, code)
    if path is not None and not path.exists():
        write_signal(ROOM_SIGNAL_DIR, code, store.shown(code))


@st.cache_resource(show_spinner=False)
def _subscribed(store_id: int, _store: Rooms):
    """Subscribe once per process and store: the returned function unsubscribes."""
    return _store.subscribe(
        lambda changed: write_signal(ROOM_SIGNAL_DIR, changed, _store.shown(changed))
    )
