"""What the load users do in this app, over the protocol client: no Locust here.

- `Explorer`: open `/`, move As of, open a cell's evidence, switch to Compare, import a small
  CSV file, open its `?data=` link (each a `Run`, timed from the action to the script finishing).
- `Room`, `Presenter`, `Audience`: a presenter steps a room; each audience screen follows it, and
  its follow latency runs from the presenter's move to the new step's chart on that screen.

How an audience screen learns of a move lives only in `Audience`: as the page's hidden follower
component does (ui/follow.py), it reads the room's signal file over HTTP every few hundred ms
and fires the component's `changed` trigger when the text differs from the slide's.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.load.protocol import FRAGMENT, FULL, ProtocolError, Run, Session, widget_key
from bench.load.upload import upload

EXPLORER_ACTIONS = (
    "open /",
    "move As of",
    "open evidence",
    "switch to Compare",
    "import CSV",
    "open ?data= link",
)
IMPORT_COUNTRIES = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "ARM", "AZE", "GEO", "MDA")
IMPORT_ISSUES = ("unga_es11_1", "unga_es11_2", "unga_es11_4")
CHART_KEY = re.compile(r"present-chart-(\d+)")
AS_OF_CONTROL = "matrix_time"
"""The matrix page's As of control and matrix, drawn in the browser (app_pages/matrix.py)."""
FOLLOWER = "follow-room-"
"""The audience page's follower component has a key starting with this (ui/follow.py)."""
PAGE_FAILED = "could not be shown because of an unexpected error"


def small_csv(rng: random.Random) -> bytes:
    """A small wide matrix the importer accepts: a few countries' scores on UN votes."""
    countries = rng.sample(IMPORT_COUNTRIES, 4)
    rows = ["country," + ",".join(IMPORT_ISSUES)]
    rows += [c + "," + ",".join(str(rng.randint(-2, 2)) for _ in IMPORT_ISSUES) for c in countries]
    return ("\n".join(rows) + "\n").encode()


def failures(session: Session, run: Run) -> str | None:
    """Why a run counts as an error (an exception drawn, the page's error box, a run that did
    not finish), or None."""
    if run.exceptions:
        return "exception: " + run.exceptions[0][:200]
    if run.status not in (FULL, FRAGMENT):
        return f"script_finished {run.status}"
    for alert in session.find("alert"):
        if PAGE_FAILED in alert.proto.body:
            return "page failed: " + alert.proto.body[:200]
    return None


class Explorer:
    """An analyst going through the app; `act(name)` does one of EXPLORER_ACTIONS."""

    def __init__(self, base: str, rng: random.Random | None = None) -> None:
        self.base = base
        self.rng = rng or random.Random()
        self.http = requests.Session()
        self.session = Session(base, http=self.http)
        self.data_id = ""

    def act(self, name: str) -> Run:
        return getattr(self, "_" + re.sub(r"\W+", "_", name).strip("_").lower())()

    def close(self) -> None:
        self.session.close()
        self.http.close()

    def _reopen(self, page: str, query: str = "") -> Run:
        """A new tab on `page?query` (the old one closed), as opening a link does."""
        self.session.close()
        self.session = Session(self.base, http=self.http)
        return self.session.open(page, query)

    def _on(self, page: str) -> None:
        """Be on `page`: switch to it through the navigation, or open it in a first tab."""
        if not self.session.pages:
            self._reopen(page)
        elif self.session.page_name != page:
            self.session.switch_page(page)

    def _open(self) -> Run:
        return self._reopen("")

    def _move_as_of(self) -> Run:
        self._on("")
        # the As of slider is drawn in the browser (ui/time_travel.py); when it settles, the
        # component sends its date back as the trigger "date", which is what reaches the server
        travel = self.session.widget(AS_OF_CONTROL)
        dates = json.loads(travel.proto.json)["frames"]["dates"]
        return self.session.trigger(travel, "date", self.rng.choice(dates))

    def _open_evidence(self) -> Run:
        self._on("")
        options = list(self.session.widget("cell").proto.options)
        return self.session.set_value("cell", string_value=self.rng.choice(options))

    def _switch_to_compare(self) -> Run:
        self._on("")
        return self.session.switch_page("compare")

    def _import_csv(self) -> Run:
        """Upload a small file on Your data and press Import (timed from the press); the
        dataset's id is then in the page's link."""
        self._on("data")
        upload(self.session, "upload", "small.csv", small_csv(self.rng), self.http)
        run = self.session.click("do_import")
        self.data_id = self.session.query().get("data", [""])[0]
        if not self.data_id and not failures(self.session, run):
            raise ProtocolError("the import stored no dataset (no data= in the link)")
        return run

    def _open_data_link(self) -> Run:
        if not self.data_id:
            self._import_csv()
        return self._reopen("", f"data={self.data_id}")


@dataclass
class Room:
    """The room the presenter steps: shared by the users of one Locust process."""

    code: str = ""
    step: int = 1
    total: int = 0
    moved_at: float = 0.0
    """When the room last moved (time.monotonic): set when the presenter presses, then moved to
    the first delta of the presenter's run, by which its on_click callback had moved the room.
    A press the server never gets to stays a move the audience cannot follow."""


class Presenter:
    """Starts a room on /present and steps it forward (back to the first after the last)."""

    def __init__(self, base: str, room: Room) -> None:
        self.room = room
        self._pressed = False
        self.session = Session(base, on_message=self._seen, http=requests.Session())

    def _seen(self, msg: ForwardMsg, now: float) -> None:
        if self._pressed and msg.WhichOneof("type") == "delta":
            self._pressed = False
            self.room.moved_at = now

    def start(self) -> Run:
        self.session.open("present")
        run = self.session.click("start-room")
        code = self.session.query().get("room", [""])[0]
        if not code:
            raise ProtocolError("no room in the presenter's link after Start a room")
        self.room.total = len([s for s in self.session.elements.values() if _goto(s.widget_id)])
        self.room.code, self.room.step, self.room.moved_at = code, 1, time.monotonic()
        return run

    def step(self) -> Run:
        last = self.room.step >= self.room.total
        self.room.step, self.room.moved_at = 1 if last else self.room.step + 1, time.monotonic()
        self._pressed = True
        try:
            return self.session.click("present-first" if last else "present-next")
        finally:
            self._pressed = False


def _goto(widget_id: str) -> bool:
    return bool(widget_id) and (widget_key(widget_id) or "").startswith("present-goto-")


def chart_step(widget_id: str) -> int | None:
    """The step whose chart an element is (`present-chart-N` key), or None."""
    match = CHART_KEY.fullmatch(widget_key(widget_id) or "")
    return int(match[1]) if match else None


class Audience:
    """An audience screen on /present?room=CODE. `follow(seconds)` stays on it; each time its
    screen shows the room's current step, `on_follow(seconds since the move)` is called, and
    `on_lost(step)` when a step is not shown within `limit` seconds of the move, or the room
    moved on before it was shown.

    How the screen learns of a move is this class's business alone. The page's hidden follower
    component (ui/follow.py) reads the room's signal file at the component's pace and, on a
    change, fires its `changed` trigger; `_read_signal` does the same over `self.session.http`
    and `Session.trigger` (the client runs no JavaScript). What is measured stays the same:
    the new step's chart arriving."""

    def __init__(
        self,
        base: str,
        room: Room,
        on_follow: Callable[[float], None],
        on_lost: Callable[[int], None],
        limit: float = 10.0,
    ) -> None:
        self.room, self.on_follow, self.on_lost, self.limit = room, on_follow, on_lost, limit
        self.shown, self.shown_at = 0, 0.0
        self.expected = 0
        """The room's step when last checked (0: not following yet)."""
        self.settled = True
        """Whether the expected step was followed or given up on: each move counts once."""
        self.session = Session(base, on_message=self._seen, http=requests.Session())
        self.base, self.http = base, self.session.http
        self.next_read, self.signal_reads, self.follower_id = 0.0, 0, ""

    def join(self) -> Run:
        """Open the audience screen; moves count from the room's step once it is shown."""
        self.expected = 0
        run = self.session.open("present", f"room={self.room.code}")
        self.expected, self.settled = self.room.step, True
        return run

    def follow(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (now := time.monotonic()) < end:
            self.session.idle(max(0.0, min(0.05, end - now, self.next_read - now)))
            self._read_signal(time.monotonic())
            self._check(time.monotonic())

    def _read_signal(self, now: float) -> None:
        """What the follower component does in the browser: read the room's signal at once and
        then every `poll` ms, and trigger a rerun of its fragment when the text is not the
        slide's; then read again only after `retry` ms, unless a new slide's follower comes."""
        follower = next(
            (s for s in self.session.find("bidi_component") if FOLLOWER in s.widget_id), None
        )
        if follower is not None and follower.widget_id != self.follower_id:
            self.next_read = now  # a new slide's follower reads at once
        if now < self.next_read:
            return
        if follower is None:
            self.next_read = now + 0.25
            return
        data = json.loads(follower.proto.json)
        self.follower_id = follower.widget_id
        self.next_read = now + data["poll"] / 1000
        try:
            reply = self.http.get(self.base + data["url"], timeout=10)
        except requests.RequestException:
            return
        self.signal_reads += 1
        text = reply.text.strip() if reply.ok else "ended" if reply.status_code == 404 else None
        if text is not None and text != data["shown"]:
            self.next_read = now + data["retry"] / 1000  # unless a new follower comes first
            self.session.trigger(follower, "changed", text)

    def _seen(self, msg: ForwardMsg, now: float) -> None:
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        kind = element.WhichOneof("type")  # a step that plays on entry is the As of component
        if kind not in ("plotly_chart", "bidi_component"):
            return
        step = chart_step(getattr(element, kind).id)
        if step is not None and step != self.shown:
            self.shown, self.shown_at = step, now
            self._check(now)

    def _check(self, now: float) -> None:
        if not self.expected or not self.room.moved_at:
            return  # joining: the step on screen then is no move followed
        target = self.room.step
        if target != self.expected:
            if not self.settled:
                self.on_lost(self.expected)  # the room moved on before it was shown
            self.expected, self.settled = target, False
        if self.settled:
            return
        if self.shown == target:
            self.settled = True
            self.on_follow(max(0.0, self.shown_at - self.room.moved_at))
        elif now - self.room.moved_at > self.limit:
            self.settled = True
            self.on_lost(target)
