"""Locust users of the app, speaking Streamlit's websocket protocol (bench/load/journeys.py).

- `ExplorerUser`: the six explorer actions in turn, about 5 s apart.
- `PresenterUser` (one): starts a room and steps it every STEP_SECONDS.
- `AudienceUser`: follows that room; reports `follow` (move → new step shown) per move.

Each action is a Locust request event (type `ws`), so Locust computes the percentiles. Run by
`python -m bench.load.run`, or by hand against a running server:
`locust -f bench/load/locustfile.py --headless -u 10 -t 60s --host http://127.0.0.1:8501 \
ExplorerUser`
"""

from __future__ import annotations

import json
import os
import random
import time

from gevent import GreenletExit
from locust import User, between, constant, events, task

from bench.load.journeys import EXPLORER_ACTIONS, Audience, Explorer, Presenter, Room, failures
from bench.load.protocol import ProtocolError, Run

STEP_SECONDS = float(os.environ.get("LOAD_STEP_SECONDS", "10"))
FOLLOW_LIMIT = float(os.environ.get("LOAD_FOLLOW_LIMIT", "10"))
"""A step not shown within this many seconds of the move counts as a follow error."""
ROOM_WAIT_SECONDS = 60.0
UNFINISHED_SECONDS = 10.0
"""An action cut off by the end of the run counts as an error once it has waited this long."""
REQUEST_TYPE = "ws"
ROOM = Room()
"""The one room of this Locust process: the presenter starts it, the audience joins it."""
SAMPLES = os.environ.get("LOAD_SAMPLES", "")
"""A file to append every request to, one JSON line each (name, seconds, error, time): the
runner computes exact percentiles from them (Locust's own are rounded)."""


def report(user: User, name: str, action) -> Run | None:
    """Time `action()` and report it to Locust under `name`; the run, or None on failure. An
    action still waiting after UNFINISHED_SECONDS when Locust stops the run is an error too."""
    start = time.monotonic()
    run, error = None, None
    try:
        run = action()
        error = failures(user.client.session, run)
    except GreenletExit:
        waited = time.monotonic() - start
        if waited >= UNFINISHED_SECONDS:
            fire(user, name, waited, f"still waiting after {waited:.0f} s when the run stopped")
        raise
    except (ProtocolError, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a client bug must show as an error, never stop the user
        error = f"{type(exc).__name__}: {exc}"
    elapsed = run.seconds if run is not None else time.monotonic() - start
    fire(user, name, elapsed, error, run.messages if run is not None else 0)
    return None if error else run


def fire(
    user: User, name: str, seconds: float, error: str | None, length: int = 0, **context
) -> None:
    """Report one request to Locust (and so to the samples file, with `context`)."""
    user.environment.events.request.fire(
        request_type=REQUEST_TYPE, name=name, response_time=seconds * 1000,
        response_length=length, exception=RuntimeError(error) if error else None,
        context=context,
    )  # fmt: skip


class ExplorerUser(User):
    """An analyst: open /, move As of, open evidence, Compare, import a file, open its link."""

    wait_time = between(2.5, 7.5)  # about 5 s between actions

    def on_start(self) -> None:
        self.client = Explorer(self.host, random.Random())
        self.next = 0

    def on_stop(self) -> None:
        self.client.close()

    @task
    def act(self) -> None:
        name = EXPLORER_ACTIONS[self.next % len(EXPLORER_ACTIONS)]
        self.next += 1
        if report(self, name, lambda: self.client.act(name)) is None:
            self.next = 0  # a failed step leaves nothing to act on: start again from `/`


class PresenterUser(User):
    """The presenter: one per process, stepping the room every STEP_SECONDS."""

    fixed_count = 1

    def wait_time(self) -> float:
        """Until STEP_SECONDS after the last move began, however long it took. (Locust's
        `constant_pacing` counts its first pace from the user's creation, which the room's start
        and on_start's wait had used up: the second move came within half a second of the first,
        before a screen could show it, and counted as "step 2 not shown".)"""
        return max(0.0, ROOM.moved_at + STEP_SECONDS - time.monotonic())

    def on_start(self) -> None:
        self.client = Presenter(self.host, ROOM)
        report(self, "present: start room", self.client.start)
        time.sleep(STEP_SECONDS)  # the audience joins before the first move

    def on_stop(self) -> None:
        self.client.session.close()

    @task
    def step(self) -> None:
        if ROOM.code:
            report(self, "present: next step", self.client.step)
        else:
            report(self, "present: start room", self.client.start)


class AudienceUser(User):
    """A device in the room following the presenter."""

    wait_time = constant(0)

    def on_start(self) -> None:
        deadline = time.monotonic() + ROOM_WAIT_SECONDS
        while not ROOM.code and time.monotonic() < deadline:
            time.sleep(0.2)
        self.client = Audience(self.host, ROOM, self._followed, self._lost, limit=FOLLOW_LIMIT)
        self.joined = report(self, "audience: join", self.client.join) is not None

    def on_stop(self) -> None:
        self.client.session.close()

    def _followed(self, seconds: float) -> None:
        fire(self, "follow", seconds, None, step=self.client.expected)

    def _lost(self, step: int) -> None:
        error = f"step {step} not shown (within {FOLLOW_LIMIT:.0f} s)"
        fire(self, "follow", FOLLOW_LIMIT, error, step=step)

    @task
    def follow(self) -> None:
        if not self.joined:
            self.joined = report(self, "audience: join", self.client.join) is not None
            time.sleep(1)
            return
        try:
            self.client.follow(1.0)
        except (ProtocolError, OSError) as exc:
            fire(self, "follow", 0, f"{type(exc).__name__}: {exc}")
            self.client.session.close()
            self.joined = False


@events.request.add_listener
def _keep_sample(request_type, name, response_time, exception, context=None, **_) -> None:
    if SAMPLES:
        line = {"name": name, "seconds": response_time / 1000, "t": time.time(),
                "error": str(exception) if exception else None, **(context or {})}  # fmt: skip
        with open(SAMPLES, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")
