"""Server time of one rerun of a page, over Streamlit's websocket protocol (no browser).

Starts the app and the minimal baseline app (bench/baseline_app.py) on 127.0.0.1, opens one
session on each, then reruns the page ROUNDS times and reports, for each server, the time from
`rerun_script` sent to `script_finished` received (p50, p95) and the server CPU seconds per rerun
(from /proc), and the ratios app / baseline. Loopback only.

Usage: `PYTHONPATH=. .venv/bin/python -m bench.rerun_time [--page present] [--query a=b]`.
With `--pid PID --port PORT` it drives a server that is already running (e.g. under py-spy).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from tools.browser import free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
FULL_RUN_FINISHED = 0  # ForwardMsg.script_finished: a full run that ended normally
DISCONNECTED_TTL = 120  # server.disconnectedSessionTTL's default, in seconds


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Session:
    """One Streamlit session on a server, driven like the frontend does (enough for reruns)."""

    def __init__(self, port: int, page: str = "", query: str = "") -> None:
        self.ws = connect(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=f"http://127.0.0.1:{port}",
            max_size=None,
        ).__enter__()
        self.port, self.page, self.query = port, page, query
        self.page_hash = ""
        self.cached: set[str] = set()

    def rerun(self, timeout: float = 120) -> float:
        """Ask for a full rerun; seconds until the script finished."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_name = self.page
        state.page_script_hash = self.page_hash
        state.context_info.url = f"http://127.0.0.1:{self.port}/{self.page}"
        state.cached_message_hashes.extend(sorted(self.cached))
        start = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        deadline = start + timeout
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(self.ws.recv(timeout=max(deadline - time.perf_counter(), 0.1)))
            if fwd.metadata.cacheable and fwd.hash:
                self.cached.add(fwd.hash)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "script_finished" and fwd.script_finished == FULL_RUN_FINISHED:
                return time.perf_counter() - start

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.ws.close()


def measure(port: int, pid: int, page: str, query: str, rounds: int) -> dict:
    """Open one session, warm it up, then time `rounds` reruns of `page`."""
    with Session(port, page, query) as session:
        for _ in range(3):
            session.rerun()
        cpu0 = cpu_seconds(pid)
        times = [session.rerun() for _ in range(rounds)]
        cpu = (cpu_seconds(pid) - cpu0) / rounds
    times.sort()
    return {
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))] * 1000, 1),
        "cpu_ms_per_rerun": round(cpu * 1000, 1),
        "rss_mb": round(rss_mb(pid), 1),
    }


def sessions(port: int, pid: int, page: str, query: str, count: int) -> dict:
    """RSS after a warm-up of 20 sessions, then after `count` more sessions (each opens the page,
    reruns it once and leaves), and again once Streamlit has dropped the closed sessions."""

    def visit() -> None:
        with Session(port, page, query) as session:
            session.rerun()
            session.rerun()

    for _ in range(20):
        visit()
    time.sleep(2)
    warm = rss_mb(pid)
    start = time.perf_counter()
    for _ in range(count):
        visit()
    took = time.perf_counter() - start
    time.sleep(2)
    after = rss_mb(pid)
    time.sleep(DISCONNECTED_TTL + 10)  # Streamlit keeps a closed session this long for a reconnect
    settled = rss_mb(pid)
    return {
        "rss_warm_mb": round(warm, 1),
        f"rss_after_{count}_mb": round(after, 1),
        "growth_mb": round(after - warm, 1),
        f"rss_{DISCONNECTED_TTL + 10}s_later_mb": round(settled, 1),
        "growth_settled_mb": round(settled - warm, 1),
        "s_per_session": round(took / count, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="")
    parser.add_argument("--query", default="")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", "30")))
    parser.add_argument("--pid", type=int, help="drive this running server instead")
    parser.add_argument("--port", type=int)
    parser.add_argument("--sessions", type=int, help="measure RSS over this many sessions")
    parser.add_argument(
        "--set", action="append", default=[], metavar="section.option=value",
        help="a Streamlit option for both servers, e.g. runner.postScriptGC=true",
    )  # fmt: skip
    args = parser.parse_args()
    if args.pid:
        print(json.dumps(measure(args.port, args.pid, args.page, args.query, args.rounds)))
        return
    env = {}
    for item in args.set:
        option, _, value = item.partition("=")
        section, _, name = option.partition(".")
        snake = "".join(f"_{c}" if c.isupper() else c for c in name).upper()
        env[f"STREAMLIT_{section.upper()}_{snake}"] = value
    results = {"options": args.set}
    for name, app, page in (
        ("baseline", ROOT / "bench" / "baseline_app.py", ""),
        ("app", ROOT / "app.py", args.page),
    ):
        if args.sessions and name == "baseline":
            continue
        port = free_port()
        proc = start_server(app, port, env=env)
        try:
            if args.sessions:
                results[name] = sessions(port, proc.pid, page, args.query, args.sessions)
            else:
                results[name] = measure(port, proc.pid, page, args.query, args.rounds)
        finally:
            stop_server(proc)
    if not args.sessions:
        ratio = results["app"]["p50_ms"] / results["baseline"]["p50_ms"]
        results["ratio_p50"] = round(ratio, 1)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
