"""Presenter mode: the story step by step, from a clicker, with a room the audience follows.

- /present?step=N                      a step, moved with buttons or the keyboard
- /present?room=CODE&role=presenter&key=K   the presenter's view: notes, next step, controls
- /present?room=CODE                   the audience screen: follows the room, no controls
"""

import secrets

import streamlit as st

from core.model.problems import problems_frame
from core.serving.rooms import TooManyRooms
from ui.filters import BOUND
from ui.follow import follow, publish_changes, publish_room
from ui.keys import bind_keys
from ui.presenter import big_screen, draw_step, screen_size, step_link, warm_step
from ui.state import (
    cached_preflight,
    configured_dataset,
    current_dataset,
    current_story,
    room_store,
)
from ui.text import md_escape
from ui.url_state import publish

KEYS = {  # what presentation clickers send, and the usual keyboard keys
    "arrowleft": "present-prev",
    "pageup": "present-prev",
    "arrowright": "present-next",
    "pagedown": "present-next",
    "space": "present-next",
    "home": "present-first",
    "end": "present-last",
}
OWNER = "room_owner"  # this session's opaque id, for the limit on rooms started per session
REFUSED = "room_refused"
SHOWN_CODE_LENGTH = 12  # a room code from a link is shown back at most this long

ds = current_dataset()
story = current_story(ds)
if story.problems and ds is not configured_dataset():
    ds = configured_dataset()  # the story was written for the bundled data
    story = current_story(ds)
    st.info("Your imported data does not contain the story's countries and issues, so the story "
            "is told on the bundled data.")  # fmt: skip
if story.problems:
    st.error("The story cannot be shown: " + f"{len(story.problems)} problem(s) in story.csv.")
    st.dataframe(problems_frame(story.problems), hide_index=True)
    st.stop()
total = len(story.steps)
store = room_store()
room = st.query_params.get("room", "").strip().upper()
role = st.query_params.get("role", "")
key = st.query_params.get("key", "")


def parse_step(text: str | None) -> int:
    """A step number from the URL, clamped to the story; 1 for anything unreadable."""
    try:
        return min(max(int(text or 1), 1), total)
    except ValueError:
        return 1


def go_to(number: int) -> None:
    """Move to step `number`, and move the room too when this is its presenter."""
    number = min(max(number, 1), total)
    st.session_state["step"] = number
    if room and store.move(room, key, number):
        publish_room(store, room)  # the audience starts following while this page redraws


def controls(current: int) -> None:
    """Previous/Next, first/last and a button per step; keyboard and clicker keys drive them."""
    cols = st.columns([1, 1, 1, 1, 6])
    cols[0].button("First", key="present-first", on_click=go_to, args=(1,), width="stretch")
    cols[1].button("◀ Previous", key="present-prev", on_click=go_to, args=(current - 1,),
                   disabled=current == 1, width="stretch")  # fmt: skip
    cols[2].button("Next ▶", key="present-next", on_click=go_to, args=(current + 1,),
                   type="primary", disabled=current == total, width="stretch")  # fmt: skip
    cols[3].button("Last", key="present-last", on_click=go_to, args=(total,), width="stretch")
    with cols[4], st.container(horizontal=True, gap="small"):
        for n in range(1, total + 1):
            st.button(str(n), key=f"present-goto-{n}", on_click=go_to, args=(n,),
                      type="primary" if n == current else "secondary")  # fmt: skip
    digits = {str(n % 10): f"present-goto-{n}" for n in range(1, min(total, 10) + 1)}
    bind_keys(KEYS | digits)


def contrast_toggle(step) -> None:
    """High contrast for washed-out projectors (kept in the link as `contrast=true`; a room's
    audience screens follow it), and a way back to the live dashboard."""
    cols = st.columns([1, 2, 2])
    with cols[0]:
        st.toggle("High contrast", key="contrast", bind=BOUND)
    cols[1].markdown(f"[Explore this step's view in the dashboard]({step_link(step)})")
    cols[2].page_link("app_pages/matrix.py", label="Back to the dashboard", icon="↩")


def preflight_box() -> None:
    checks = cached_preflight(ds.fingerprint)
    failed = [c for c in checks if not c.ok]
    with st.expander(
        "Preflight: all checks passed" if not failed else f"Preflight: {len(failed)} FAILED",
        expanded=bool(failed),
        icon=":material/check_circle:" if not failed else ":material/error:",
    ):
        for c in checks:
            st.markdown(f"**{'OK' if c.ok else 'FAILED'}: {c.name}.** {md_escape(c.detail)}")


def start_room(current: int) -> None:
    owner = st.session_state.setdefault(OWNER, secrets.token_urlsafe(16))
    try:
        new = store.create(current, owner=owner)
    except TooManyRooms as exc:
        st.session_state[REFUSED] = str(exc)
        return
    publish_room(store, new.code)
    st.query_params.pop("step", None)
    st.query_params.update({"room": new.code, "role": "presenter", "key": new.key})
    st.session_state["step"] = current


high_contrast = bool(st.session_state.get("contrast")) or st.query_params.get("contrast") == "true"
screen = screen_size()

if room:
    publish_changes(store, room)
    shown = store.shown(room)
    if shown is None:
        shown_code = room if len(room) <= SHOWN_CODE_LENGTH else room[:SHOWN_CODE_LENGTH] + "…"
        st.error(
            f"There is no room {md_escape(shown_code)}: it may have ended after a long pause. "
            "Ask the presenter for a new link, or open the story without a room at /present."
        )
        st.stop()
    presenter = role == "presenter" and store.is_presenter(room, key)
    if role == "presenter" and not presenter:
        st.warning("This link cannot move the room: its presenter key is missing or wrong.")
    if presenter:
        store.set_contrast(room, key, high_contrast)
        publish_room(store, room)
        st.session_state["step"] = shown.step
        step = story.step(shown.step)
        big_screen(high_contrast, screen, total)
        draw_step(ds, step, total, screen=screen, high_contrast=high_contrast,
                  chart_key="present-chart")  # fmt: skip
        if step.number < total:
            warm_step(ds, story.step(step.number + 1), screen, high_contrast)
        controls(step.number)
        contrast_toggle(step)
        preflight_box()
        with st.container(key="notes", border=True):
            st.markdown(f"**Speaker notes.** {md_escape(step.notes)}")
            if step.number < total:
                upcoming = story.step(step.number + 1)
                st.markdown(f"**Next, step {upcoming.number}: {md_escape(upcoming.title)}**")
                st.caption(md_escape(upcoming.narration))
            else:
                st.markdown("**This is the last step.**")
        st.caption(f"Room {room}. The audience opens /present?room={room} on the projector.")
        st.code(f"{st.context.url}?room={room}", language=None)
    else:  # the audience screen: the room's step in the room's contrast, nothing else

        @st.fragment
        def audience_slide() -> None:
            """The slide the room shows. Its follower reruns only this fragment, and only when
            the room changes (ui.follow): an idle screen costs the server nothing."""
            now = store.shown(room)
            if now is None:
                st.rerun()  # the room ended meanwhile: the whole page says so
            big_screen(now.high_contrast, screen, total)
            draw_step(ds, story.step(now.step), total, screen=screen,
                      high_contrast=now.high_contrast, chart_key="present-chart")  # fmt: skip
            follow(room, now)
            if now.step < total:
                warm_step(ds, story.step(now.step + 1), screen, now.high_contrast)

        audience_slide()
else:
    if "step" not in st.session_state:
        st.session_state["step"] = parse_step(st.query_params.get("step"))
    current = st.session_state["step"]
    step = story.step(current)
    big_screen(high_contrast, screen, total)
    draw_step(ds, step, total, screen=screen, high_contrast=high_contrast,
              chart_key="present-chart")  # fmt: skip
    controls(step.number)
    contrast_toggle(step)
    publish("step", str(step.number) if step.number != 1 else None)
    with st.expander("Present to a room (a second screen follows you)"):
        st.caption(
            "Start a room to get a presenter link (with your notes and the next step) and an "
            "audience link for the projector, which follows your steps within a second."
        )
        st.button("Start a room", key="start-room", on_click=start_room, args=(step.number,))
        if refused := st.session_state.pop(REFUSED, None):
            st.warning(refused, icon=":material/hourglass_empty:")
