"""The load run: `python -m bench.load.run` (`make load`) measures the app under load and writes
one JSON file, bench/results/load-<label>.json, that the README's load table is made from.

In order, against one app server it starts on loopback (or the cluster of var/cluster.json with
`--cluster`), while sampling the server's CPU and RSS every second:
1. one rerun of `/` for a single user, repeated (server time: request → script_finished), and
   the same on the minimal baseline app (bench/baseline_app.py) for the ratio;
2. RSS after warm-up, then after `--sessions` sessions opened and closed one after another,
   and its growth per dataset over `--imports` files imported and opened by their links;
3. explorers in Locust (bench/load/locustfile.py) for `--seconds`;
4. audience devices following one presenter's room for `--seconds`.
Profiles: `short` (`make load`, about 3 minutes) and `long` (`LOAD_PROFILE=long`: 50 explorers,
100 devices, 300 sessions). Every phase is bounded in users, count and time; all stops by itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import psutil

from bench.load.journeys import EXPLORER_ACTIONS, Explorer, failures
from bench.load.protocol import FULL, ProtocolError, Session
from bench.load.report import RESULTS, by_step, percentile, stats, summarize, usage
from tools.browser import free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
CLUSTER_FILE = ROOT / "var" / "cluster.json"
SAMPLE_SECONDS = 1.0
QUIET_CPU = 15.0
"""A phase starts when the server's CPU has fallen below this (percent of one core)..."""
QUIET_WAIT = 30.0
"""...or after this many seconds, whichever comes first."""
LOCUST_GRACE = 90.0
"""Seconds a Locust run may take beyond its duration (start-up, stopping) before it is killed."""


@dataclass(frozen=True)
class Profile:
    repeats: int
    sessions: int
    imports: int
    explorers: int
    audience: int
    seconds: int
    expiry: int = 0
    """Seconds to wait after the sessions, for Streamlit to drop them, before RSS is read again
    (0: not measured). Streamlit holds a closed session for server.disconnectedSessionTTL
    (120 s), at most 128 of them, so that a reconnect finds it."""


PROFILES = {
    "short": Profile(repeats=30, sessions=40, imports=0, explorers=10, audience=25, seconds=40),
    "long": Profile(
        repeats=30, sessions=300, imports=20, explorers=50, audience=100, seconds=150, expiry=150
    ),
}


class Sampler(threading.Thread):
    """Samples, every SAMPLE_SECONDS until stopped: the CPU (percent of one core) of the server's
    processes and their children (the import workers), the servers' own RSS, the CPU of the
    harness's Locust process, and the machine's 1-minute load average."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.roots = [psutil.Process(pid) for pid in pids]
        self.known: dict[int, psutil.Process] = {}
        self.client: psutil.Process | None = None
        self.timeline: list[dict] = []
        self._done = threading.Event()

    def run(self) -> None:
        self.sample()  # the first cpu_percent of a process is always 0: prime them
        while not self._done.wait(SAMPLE_SECONDS):
            self.timeline.append(self.sample())

    def _cpu(self, proc: psutil.Process) -> float:
        known = self.known.setdefault(proc.pid, proc)
        return known.cpu_percent(None)

    def sample(self) -> dict:
        cpu = rss = 0.0
        for root in self.roots:
            try:
                rss += root.memory_info().rss / 2**20
                for proc in [root, *root.children(recursive=True)]:
                    cpu += self._cpu(proc)
            except psutil.Error:  # a worker that ended meanwhile
                continue
        client = 0.0
        if self.client is not None:
            try:
                client = self._cpu(self.client)
            except psutil.Error:
                self.client = None
        return {"t": time.time(), "cpu": cpu, "rss_mb": rss, "load1": os.getloadavg()[0],
                "client_cpu": client}  # fmt: skip

    def since(self, start: float) -> list[dict]:
        return [s for s in self.timeline if s["t"] >= start]

    def rss(self) -> float:
        """The servers' RSS now, in MB."""
        return sum(root.memory_info().rss for root in self.roots) / 2**20

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=5)

    def wait_quiet(self) -> None:
        """Wait until the server is idle again (bounded by QUIET_WAIT)."""
        deadline = time.monotonic() + QUIET_WAIT
        while time.monotonic() < deadline:
            time.sleep(SAMPLE_SECONDS)
            if self.timeline and self.timeline[-1]["cpu"] < QUIET_CPU:
                return


def single_rerun(base: str, repeats: int) -> dict:
    """One user's reruns of `/`: seconds from the request to script_finished."""
    session = Session(base)
    times, errors = [], 0
    try:
        session.open("")
        for _ in range(repeats):
            try:
                run = session.rerun()
            except ProtocolError:
                errors += 1
                continue
            if run.status != FULL or run.exceptions:
                errors += 1
            else:
                times.append(run.seconds)
    finally:
        session.close()
    return {"repeats": repeats, "errors": errors, "p50_s": percentile(times, 50),
            "p95_s": percentile(times, 95), "samples_s": times}  # fmt: skip


def open_sessions(base: str, count: int, deadline: float) -> int:
    """Open `/` in `count` new sessions one after another, closing each; how many opened."""
    opened = 0
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        session = Session(base)
        try:
            session.open("")
            opened += 1
        except (ProtocolError, OSError):
            pass
        finally:
            session.close()
    return opened


def import_growth(base: str, count: int, sampler: Sampler) -> dict:
    """One user imports `count` small files and opens each one's `?data=` link: the servers'
    RSS before and after, and the growth per dataset (what the caches keep of each)."""
    explorer = Explorer(base, random.Random(7))
    before, done, errors = sampler.rss(), 0, 0
    try:
        for _ in range(count):
            try:
                runs = [explorer.act("import CSV"), explorer.act("open ?data= link")]
            except (ProtocolError, OSError):
                errors += 1
                continue
            if any(failures(explorer.session, run) for run in runs):
                errors += 1
            else:
                done += 1
    finally:
        explorer.close()
    time.sleep(3)
    after = sampler.rss()
    return {"datasets": done, "errors": errors, "rss_before_mb": before, "rss_after_mb": after,
            "per_dataset_mb": (after - before) / done if done else math.nan}  # fmt: skip


def locust(
    base: str, classes: list[str], users: int, seconds: int, sampler: Sampler, names: list[str]
) -> dict:
    """A headless Locust run of `classes` with `users` users for `seconds`: each request's
    summary, the requests `names` pooled (`overall`), and the server's usage meanwhile."""
    samples = Path(tempfile.mkstemp(prefix="load-samples-", suffix=".jsonl")[1])
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", str(users), "-r", str(max(2, users // 5)), "-t", f"{seconds}s",
        "--stop-timeout", "5", "--host", base, "--loglevel", "WARNING", *classes,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LOAD_SAMPLES": str(samples)}
    start = time.time()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log)
        sampler.client = psutil.Process(proc.pid)
        try:
            proc.wait(timeout=seconds + LOCUST_GRACE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.returncode:
            log.seek(0)
            tail = log.read()[-3000:].decode(errors="replace")
            print(f"locust exited with {proc.returncode}: {tail}", file=sys.stderr)
    lines = samples.read_text(encoding="utf-8").splitlines()
    samples.unlink()
    records = [json.loads(line) for line in lines if line.strip()]
    timeline = sampler.since(start)
    return {"users": users, "seconds": seconds, "exit_code": proc.returncode,
            "requests": summarize(records), "actions": names,
            "overall": stats([r for r in records if r["name"] in names]), "usage": usage(timeline),
            "follow_by_step": by_step(records),
            "client_cpu_mean": sum(s["client_cpu"] for s in timeline) / max(1, len(timeline)),
            "timeline": timeline}  # fmt: skip


APP_PATHS = ("app.py", "app_pages", "ui", "core", "figures", "data", "requirements.txt")


def git_commit() -> str:
    """The last commit that changed the app (not the harness), so that a run of a branch that
    only adds measurements names the app it measured."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%h", "--", *APP_PATHS], cwd=ROOT,
                             text=True, capture_output=True, timeout=10, check=True)  # fmt: skip
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def listening_pids(urls: list[str]) -> list[int]:
    """The processes listening on the ports of `urls` (the cluster's replicas)."""
    ports = {int(url.rsplit(":", 1)[1].split("/")[0]) for url in urls}
    listening = [c for c in psutil.net_connections("tcp") if c.status == psutil.CONN_LISTEN]
    return sorted({c.pid for c in listening if c.laddr.port in ports and c.pid})


def main(argv: list[str] | None = None) -> dict:
    args = parse(argv)
    profile = replace(PROFILES[args.profile], **{
        k: v for k, v in vars(args).items() if k in Profile.__dataclass_fields__ and v is not None
    })  # fmt: skip
    servers, store = [], tempfile.TemporaryDirectory(prefix="load-store-")
    try:
        if args.cluster:
            cluster = json.loads(CLUSTER_FILE.read_text(encoding="utf-8"))
            base, replicas = cluster["url"].rstrip("/"), len(cluster["replicas"])
            pids = listening_pids(cluster["replicas"])
        else:
            port = free_port()
            env = {"DASHBOARD_STORE_DIR": store.name, "PYTHONPATH": str(ROOT)}
            servers.append(start_server(ROOT / "app.py", port, env=env))
            base, replicas, pids = f"http://127.0.0.1:{port}", 1, [servers[0].pid]
        result = measure(base, pids, profile, args)
    finally:
        for proc in servers:
            stop_server(proc)
        store.cleanup()
    result["config"] |= {"profile": args.profile, "replicas": replicas, "target": base,
                         **asdict(profile)}  # fmt: skip
    out = Path(args.out) if args.out else RESULTS / f"load-{args.label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return result


def measure(base: str, pids: list[int], profile: Profile, args) -> dict:
    """Every phase against the server(s) at `base` (processes `pids`)."""
    sampler = Sampler(pids)
    sampler.start()
    load_start = os.getloadavg()[0]
    result: dict = {"config": {"label": args.label, "commit": git_commit(),
                               "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                               "cpus": os.cpu_count(), "load1": load_start}}  # fmt: skip
    try:
        for _ in range(3):  # warm-up: imports, caches
            single_rerun(base, 1)
        sampler.wait_quiet()
        if profile.repeats:
            result["single_rerun"] = single_rerun(base, profile.repeats)
            print("one rerun of /:", _ms(result["single_rerun"]["p50_s"]), "p50")
            if not args.cluster:
                result["baseline_rerun"] = baseline_rerun(profile.repeats)
                result["single_rerun"]["ratio_to_baseline"] = (
                    result["single_rerun"]["p50_s"] / result["baseline_rerun"]["p50_s"]
                )
        if profile.sessions:
            sampler.wait_quiet()
            warm = sampler.rss()
            start = time.monotonic()
            opened = open_sessions(base, profile.sessions, start + 20 * 60)
            time.sleep(3)
            result["memory"] = {"sessions": opened, "seconds": time.monotonic() - start,
                                "rss_warm_mb": warm, "rss_after_mb": sampler.rss()}  # fmt: skip
            print(f"RSS {warm:.0f} MB after warm-up, {sampler.rss():.0f} MB after {opened}")
            if profile.expiry:
                time.sleep(profile.expiry)
                open_sessions(base, 1, time.monotonic() + 60)  # the store drops expired ones
                time.sleep(3)
                result["memory"] |= {"expiry_s": profile.expiry, "rss_expired_mb": sampler.rss()}
                print(f"RSS {sampler.rss():.0f} MB once the closed sessions expired")
        if profile.imports:
            sampler.wait_quiet()
            result["imports"] = import_growth(base, profile.imports, sampler)
            print(f"RSS per imported dataset: {result['imports']['per_dataset_mb']:.1f} MB")
        for key, classes, users in (
            ("explorers", ["ExplorerUser"], profile.explorers),
            ("audience", ["PresenterUser", "AudienceUser"], profile.audience),
        ):
            if not users:
                continue
            sampler.wait_quiet()
            total = users + (1 if key == "audience" else 0)
            names = ["follow"] if key == "audience" else list(EXPLORER_ACTIONS)
            phase = locust(base, classes, total, profile.seconds, sampler, names)
            phase["users"] = users
            result[key] = phase
            both = phase["overall"]
            cpu = phase["usage"].get("cpu_mean", 0)
            print(f"{key}: p50 {_ms(both['p50_s'])}, p95 {_ms(both['p95_s'])}, CPU {cpu:.0f}%")
    finally:
        sampler.stop()
    result["config"]["load1_end"] = os.getloadavg()[0]
    result["server_usage"] = usage(sampler.timeline)
    return result


def baseline_rerun(repeats: int) -> dict:
    """The same single-user reruns on the minimal baseline app, started for this and stopped."""
    port = free_port()
    proc = start_server(ROOT / "bench" / "baseline_app.py", port)
    try:
        base = f"http://127.0.0.1:{port}"
        single_rerun(base, 2)
        return single_rerun(base, repeats)
    finally:
        stop_server(proc)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=sorted(PROFILES),
                        default=os.environ.get("LOAD_PROFILE", "short"))  # fmt: skip
    parser.add_argument("--cluster", action="store_true", help=f"target {CLUSTER_FILE}")
    parser.add_argument("--label", default="latest", help="writes load-LABEL.json")
    parser.add_argument("--out", help="write the JSON here instead")
    for name in Profile.__dataclass_fields__:
        parser.add_argument(f"--{name}", type=int, help=f"override the profile's {name}")
    return parser.parse_args(argv)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


if __name__ == "__main__":
    main()
