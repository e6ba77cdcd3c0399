"""A client of Streamlit 1.67's websocket protocol: one browser tab, without a browser.

It does what the frontend does on the wire (facts: /work/shared/notes/streamlit-protocol.md):
asks for a run of a page with a query string, keeps the elements the deltas draw, finds widgets
by key and sends their new values (from inside a fragment when they live in one), fires the
`run_every` timers the server arms, keeps the message cache and resolves `ref_hash` replies.
Each action returns a `Run`: the seconds from sending it to `script_finished`.

Synchronous and gevent-friendly (websocket-client over plain sockets), so Locust can run many.
Bounded: every wait has a deadline, and the cache and element map only hold the current page.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import requests
import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FULL, COMPILE_ERROR, EARLY_FOR_RERUN, FRAGMENT = 0, 1, 2, 3
"""ForwardMsg.script_finished values: a full run, a compile error, a run ended early because
another was asked for, a fragment run."""
CACHE_AGE = 2
"""A cached message not referenced for this many full runs is dropped (the frontend's
default maxCachedMessageAge)."""
RUN_TIMEOUT = 120.0
TRIGGERS = ("trigger_value", "string_trigger_value", "json_trigger_value")
"""WidgetState values that fire once."""
COMPONENT_EVENTS = "$$STREAMLIT_INTERNAL_KEY_{id}__events"
"""The widget id under which an st.components.v2 component sends its trigger events."""


class ProtocolError(RuntimeError):
    """The server said something this client cannot follow (or nothing, in time)."""


@dataclass
class Run:
    """One action: how long from sending it to the run that answered it finishing."""

    seconds: float
    status: int
    messages: int
    exceptions: list[str] = field(default_factory=list)
    """Texts of `st.exception` elements drawn in the run: the app failed."""


@dataclass
class Shown:
    """An element on the screen: where it is, what it is, the fragment that drew it."""

    path: tuple[int, ...]
    element: Element
    fragment_id: str

    @property
    def kind(self) -> str:
        return self.element.WhichOneof("type") or ""

    @property
    def proto(self):
        """The element's own message (`element.select_slider`, `element.markdown`, ...)."""
        return getattr(self.element, self.kind)

    @property
    def widget_id(self) -> str:
        return getattr(self.proto, "id", "") if self.kind else ""


def widget_key(widget_id: str) -> str | None:
    """The user key at the end of a widget id (`$$ID-<hash>-<key>`), or None without one."""
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[2] != "None" else None


class Session:
    """One browser tab's session on a Streamlit server (`base` like http://127.0.0.1:8501)."""

    def __init__(
        self,
        base: str,
        *,
        timeout: float = RUN_TIMEOUT,
        on_message=None,
        http: requests.Session | None = None,
    ) -> None:
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.http = http
        """The tab's cookie jar: given one, the session first asks for the health check, as the
        frontend does, and sends its cookies with the websocket (a load balancer's stickiness
        and the XSRF cookie live there)."""
        self.on_message: Callable[[ForwardMsg, float], None] | None = on_message
        self.ws: websocket.WebSocket | None = None
        self.session_id = ""
        self.page_name = ""
        self.page_script_hash = ""
        self.query_string = ""
        self.pages: dict[str, str] = {}
        """url path ("" for the default page) -> page_script_hash, from `navigation`."""
        self.elements: dict[tuple[int, ...], Shown] = {}
        self.timers: dict[str, tuple[float, float]] = {}
        """fragment_id -> (interval, next due time) of the `run_every` timers armed."""
        self.cache: dict[str, tuple[ForwardMsg, int]] = {}
        self.full_runs = 0
        self._states: dict[str, WidgetState] = {}
        self._seen: set[tuple[int, ...]] = set()
        self._finished: list[int] = []
        self._started: set[str] = set()
        """Runs (script_run_id) that may answer the last action: begun after it was sent, and
        a full run, or (for an action inside a fragment) a run of that fragment. So a timer's
        fragment run never counts as the answer to a full-page action."""
        self._asked = ""
        self._file_urls: dict[str, ForwardMsg] = {}
        self.auto_reruns = 0

    # -- connection -------------------------------------------------------------------------
    def connect(self) -> None:
        """Open the websocket as a browser tab does."""
        url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        cookie = None
        if self.http is not None:
            self.http.get(self.base + "/_stcore/health", timeout=self.timeout).raise_for_status()
            cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items()) or None
        self.ws = websocket.create_connection(
            url,
            subprotocols=["streamlit"],
            origin=self.base,
            cookie=cookie,
            timeout=self.timeout,
            enable_multithread=False,
        )

    def close(self) -> None:
        if self.ws is not None:
            try:
                self.ws.close()
            finally:
                self.ws = None

    # -- actions ----------------------------------------------------------------------------
    def open(self, page: str = "", query: str = "") -> Run:
        """Connect (when not yet) and run `page` (its URL path; "" the default) with `query`."""
        if self.ws is None:
            self.connect()
        self.page_name, self.query_string = page, query
        self.page_script_hash = self.pages.get(page, "")
        self._states.clear()
        return self._rerun()

    def rerun(self) -> Run:
        """Run the page again as it is (what pressing R in the app does)."""
        return self._rerun()

    def switch_page(self, page: str) -> Run:
        """Go to another page from the navigation, as a click on its link does."""
        if page not in self.pages:
            raise ProtocolError(f"no page {page!r} in the navigation: {sorted(self.pages)}")
        self.page_name, self.page_script_hash, self.query_string = page, self.pages[page], ""
        self._states.clear()
        return self._rerun()

    def set_value(self, key: str, **value) -> Run:
        """Give the widget `key` a value, e.g. `string_value="x"`, `trigger_value=True`,
        `string_array_value=["1 Mar 2022"]`, and wait for the run it starts."""
        shown = self.widget(key)
        state = WidgetState(id=shown.widget_id)
        for name, v in value.items():
            if name.endswith("array_value"):
                getattr(state, name).data.extend(v)
            elif name == "file_uploader_state_value":
                state.file_uploader_state_value.CopyFrom(v)
            else:
                setattr(state, name, v)
        self._states[shown.widget_id] = state
        return self._rerun(fragment_id=shown.fragment_id)

    def trigger(self, shown: Shown, event: str, value) -> Run:
        """Fire `event` of the st.components.v2 component `shown` with `value`, as its
        `setTriggerValue(event, value)` does, and wait for the run it starts."""
        state = WidgetState(id=COMPONENT_EVENTS.format(id=shown.widget_id))
        state.json_trigger_value = json.dumps([{"event": event, "value": value}])
        self._states[state.id] = state
        return self._rerun(fragment_id=shown.fragment_id)

    def click(self, key: str) -> Run:
        """Press the button `key`."""
        return self.set_value(key, trigger_value=True)

    def idle(self, seconds: float) -> None:
        """Stay on the page for `seconds`, reading what the server sends and firing its
        `run_every` timers as the frontend does."""
        self._pump(time.monotonic() + seconds, until_finished=False)

    # -- what the screen shows --------------------------------------------------------------
    def widget(self, key: str) -> Shown:
        """The widget with user key `key` on the screen (ProtocolError when there is none)."""
        for shown in self.elements.values():
            if shown.widget_id and widget_key(shown.widget_id) == key:
                return shown
        raise ProtocolError(f"no widget with key {key!r} on page {self.page_name!r}")

    def find(self, kind: str) -> list[Shown]:
        """The elements of one type (`markdown`, `plotly_chart`, ...) in screen order."""
        return [s for p, s in sorted(self.elements.items()) if s.kind == kind]

    def query(self) -> dict[str, list[str]]:
        from urllib.parse import parse_qs

        return parse_qs(self.query_string)

    # -- the wire ---------------------------------------------------------------------------
    def _client_state(self, fragment_id: str = "", auto: bool = False) -> BackMsg:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = self.page_script_hash
        cs.page_name = self.page_name
        cs.fragment_id = fragment_id
        cs.is_auto_rerun = auto
        cs.widget_states.widgets.extend(self._states.values())
        cs.cached_message_hashes.extend(self.cache)
        cs.context_info.url = f"{self.base}/{self.page_name}" + (
            f"?{self.query_string}" if self.query_string else ""
        )
        cs.context_info.timezone = "UTC"
        cs.context_info.locale = "en-GB"
        return msg

    def _send(self, msg: BackMsg) -> None:
        if self.ws is None:
            raise ProtocolError("not connected")
        self.ws.send_binary(msg.SerializeToString())

    def _rerun(self, fragment_id: str = "") -> Run:
        start = time.monotonic()
        self._finished.clear()
        self._started.clear()
        self._asked = fragment_id
        self._send(self._client_state(fragment_id))
        # triggers fire once, as the frontend resets them after sending
        for wid in [w for w, s in self._states.items() if s.WhichOneof("value") in TRIGGERS]:
            del self._states[wid]
        count, exceptions = self._pump(start + self.timeout, until_finished=True)
        return Run(time.monotonic() - start, self._finished[-1], count, exceptions)

    def _pump(self, deadline: float, *, until_finished: bool) -> tuple[int, list[str]]:
        """Read messages until a run finishes (not one ended early for a rerun) or the deadline,
        firing due timers on the way. Returns the messages read and exceptions drawn."""
        count, exceptions = 0, []
        while True:
            now = time.monotonic()
            if until_finished and self._finished and self._finished[-1] != EARLY_FOR_RERUN:
                return count, exceptions
            if now >= deadline:
                if until_finished:
                    raise ProtocolError(f"no script_finished within {self.timeout:.0f} s")
                return count, exceptions
            due = self._fire_timers(now)
            wait = max(0.001, min(deadline, due) - now)
            self.ws.settimeout(wait)
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            if not raw:
                raise ProtocolError("the server closed the websocket")
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            count += 1
            exceptions.extend(self._handle(msg, time.monotonic()))

    def _fire_timers(self, now: float) -> float:
        """Send the auto reruns that are due (fixed rate); the time the next one is due."""
        nxt = float("inf")
        for fid, (interval, due) in list(self.timers.items()):
            if due <= now:
                self._send(self._client_state(fid, auto=True))
                self.auto_reruns += 1
                due = max(due + interval, now)
                self.timers[fid] = (interval, due)
            nxt = min(nxt, due)
        return nxt

    def _handle(self, msg: ForwardMsg, now: float) -> list[str]:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                raise ProtocolError(f"ref_hash {msg.ref_hash} not in the message cache")
            full = ForwardMsg()
            full.CopyFrom(cached[0])
            full.metadata.CopyFrom(msg.metadata)
            self.cache[msg.ref_hash] = (cached[0], self.full_runs)
            msg, kind = full, full.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = (msg, self.full_runs)
        if self.on_message is not None:
            self.on_message(msg, now)
        found: list[str] = []
        if kind == "new_session":
            self._new_session(msg)
        elif kind == "navigation":
            self.page_script_hash = msg.navigation.page_script_hash
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta":
            found = self._delta(msg)
        elif kind == "auto_rerun":
            interval = msg.auto_rerun.interval
            self.timers[msg.auto_rerun.fragment_id] = (interval, now + interval)
        elif kind == "stop_auto_rerun":
            ids = msg.stop_auto_rerun.fragment_ids
            for fid in list(ids) or list(self.timers):
                self.timers.pop(fid, None)
        elif kind == "file_urls_response":
            self._file_urls[msg.file_urls_response.response_id] = msg
        elif kind == "script_finished" and msg.metadata.run.script_run_id in self._started:
            self._script_finished(msg.script_finished)
        return found

    def _new_session(self, msg: ForwardMsg) -> None:
        if msg.new_session.HasField("initialize"):
            self.session_id = msg.new_session.initialize.session_id or self.session_id
        fragments = msg.metadata.run.fragment_ids
        if not fragments or (self._asked and self._asked in fragments):
            self._started.add(msg.metadata.run.script_run_id)
        if not fragments:
            self.timers.clear()  # a full run re-arms its timers; the frontend clears them
            self._seen = set()

    def _delta(self, msg: ForwardMsg) -> list[str]:
        path = tuple(msg.metadata.delta_path)
        delta = msg.delta
        self._seen.add(path)
        if delta.WhichOneof("type") == "new_element":
            shown = Shown(path, delta.new_element, delta.fragment_id)
            old = self.elements.get(path)
            if old and old.widget_id and old.widget_id != shown.widget_id:
                self._states.pop(old.widget_id, None)
            if shown.widget_id and getattr(shown.proto, "set_value", False):
                self._states.pop(shown.widget_id, None)  # the server set it: its value wins
            self.elements[path] = shown
            if shown.kind == "exception":
                return [shown.proto.message]
        return []

    def _script_finished(self, status: int) -> None:
        self._finished.append(status)
        if status == FULL:
            self.full_runs += 1
            # like the frontend, drop what this run did not draw, and old cache entries
            self.elements = {p: s for p, s in self.elements.items() if _kept(p, self._seen)}
            self.cache = {
                h: (m, age)
                for h, (m, age) in self.cache.items()
                if self.full_runs - age <= CACHE_AGE
            }

    # -- files --------------------------------------------------------------------------------
    def file_urls(self, names: Iterable[str]) -> list:
        """Ask the server where to upload files (the frontend's first step of an upload)."""
        request_id = uuid.uuid4().hex
        msg = BackMsg()
        msg.file_urls_request.request_id = request_id
        msg.file_urls_request.file_names.extend(names)
        msg.file_urls_request.session_id = self.session_id
        self._send(msg)
        deadline = time.monotonic() + self.timeout
        while request_id not in self._file_urls:
            if time.monotonic() >= deadline:
                raise ProtocolError("no file_urls_response in time")
            self._pump(min(deadline, time.monotonic() + 0.05), until_finished=False)
        response = self._file_urls.pop(request_id).file_urls_response
        if response.error_msg:
            raise ProtocolError(response.error_msg)
        return list(response.file_urls)


def _kept(path: tuple[int, ...], seen: set[tuple[int, ...]]) -> bool:
    """An element stays after a full run only when the run drew it again."""
    return path in seen
