"""A cluster on loopback from Debian's packages: PostgreSQL, N Streamlit replicas, nginx in front.

    python -m tools.cluster start [--replicas N] [--port P] [--folder DIR]   # prints cluster.json
    python -m tools.cluster stop [--folder DIR]

Everything lives in the folder (default `var/`): PostgreSQL in `pg/` (tools.pg), the replicas'
pid files, logs and shared cookie secret in `cluster/`, nginx's config, pid, logs and temp files
in `nginx/`, and `cluster.json` = {"url", "replicas", "database_url"} for tools and tests.
`stop` ends exactly what `start` started, by those pid files. Both are idempotent: `start` on
a running cluster starts only the parts that are down (a killed replica, on its old port).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from functools import partial
from pathlib import Path

from tools import nginx, pg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT / "var"
START_SECONDS = 90
STOP_SECONDS = 10


class ClusterError(RuntimeError):
    """The cluster cannot start as asked."""


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _pid(path: Path, marker: str) -> int | None:
    """The pid in `path` if that process runs and its command line has `marker`: a pid file
    left over from a process that ended, and reused by another one, never names it."""
    try:
        pid = int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if marker in _cmdline(pid) else None


def _replica_marker(port: int) -> str:
    return f"--server.port {port} "


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _port_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:port (connections of a killed replica still in
    TIME_WAIT do not count: the replica binds with SO_REUSEADDR too)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _secret(folder: Path) -> str:
    """The cookie secret every replica shares, made once and kept (mode 600)."""
    path = folder / "cookie_secret"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _start_replica(folder: Path, index: int, port: int, database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DASHBOARD_DATABASE_URL": database_url,
        # Its own folder, as on its own host: with the database set, nothing is written there.
        "DASHBOARD_STORE_DIR": str(folder / f"replica-{index}-store"),
        "STREAMLIT_SERVER_COOKIE_SECRET": _secret(folder),
    }
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(folder / f"replica-{index}.log", "ab") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True,  # its own process group: stop ends its import workers too
        )  # fmt: skip
    (folder / f"replica-{index}.pid").write_text(f"{proc.pid}\n")
    return proc


def _replica_alive(own: Path, index: int, port: int, proc: subprocess.Popen | None) -> bool:
    """Whether replica `index` runs: a process just started is asked directly (until it has
    exec'd, its command line is still ours, and the pid file's check would take it for gone)."""
    if proc is not None:
        return proc.poll() is None
    return _pid(own / f"replica-{index}.pid", _replica_marker(port)) is not None


def _wait(url: str, alive, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if _healthy(url):
            return
        if not alive():
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise ClusterError(f"{url} exited while starting; {log}:\n{tail}")
        time.sleep(0.3)
    raise ClusterError(f"{url} did not answer /_stcore/health within {START_SECONDS} s")


def start(
    folder: Path = DEFAULT_FOLDER,
    replicas: int = 3,
    port: int = 8080,
    replica_ports: list[int] | None = None,
    *,
    fast: bool = False,
) -> dict:
    """Start what is not running of the cluster in `folder`; return cluster.json's content.
    Replicas listen on `replica_ports` (default port+1 … port+N); `fast`: PostgreSQL without
    fsync (tests only)."""
    folder = Path(folder).resolve()
    if nginx.binary() is None:
        raise ClusterError(nginx.NO_NGINX)
    old = status(folder)
    ports = replica_ports or [port + 1 + i for i in range(replicas)]
    if old is not None and _running(folder):
        old_ports = [int(u.rsplit(":", 1)[1]) for u in old["replicas"]]
        if (old["url"], old_ports) != (f"http://127.0.0.1:{port}", ports):
            raise ClusterError(
                f"{folder} already runs another cluster ({old['url']}, {len(old_ports)} "
                "replicas): stop it first (make cluster-stop)"
            )
    own = folder / "cluster"
    own.mkdir(parents=True, exist_ok=True)
    (folder / "pg").mkdir(exist_ok=True)
    database_url = pg.start(folder / "pg", fast=fast)
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    started: dict[int, subprocess.Popen] = {}
    for i, p in enumerate(ports):
        if _pid(own / f"replica-{i}.pid", _replica_marker(p)) is None:
            if not _port_free(p):
                raise ClusterError(f"port {p} for replica {i} is taken by another program")
            started[i] = _start_replica(own, i, p, database_url)
    for i, (p, url) in enumerate(zip(ports, urls, strict=True)):
        _wait(url, partial(_replica_alive, own, i, p, started.get(i)), own / f"replica-{i}.log")
    prefix = folder / "nginx"
    conf = prefix / "nginx.conf"
    if _pid(prefix / "nginx.pid", str(conf)) is None:
        try:
            nginx.start(prefix, port, ports)
        except RuntimeError as exc:
            raise ClusterError(str(exc)) from None
    url = f"http://127.0.0.1:{port}"
    _wait(url, lambda: _pid(prefix / "nginx.pid", str(conf)) is not None, prefix / "logs/error.log")
    state = {"url": url, "replicas": urls, "database_url": database_url}
    (folder / "cluster.json").write_text(json.dumps(state, indent=2) + "\n")
    (folder / "cluster.json").chmod(0o600)  # the database URL holds its password
    return state


def status(folder: Path = DEFAULT_FOLDER) -> dict | None:
    """cluster.json's content, or None when there is none."""
    path = Path(folder).resolve() / "cluster.json"
    return json.loads(path.read_text()) if path.exists() else None


def _running(folder: Path) -> bool:
    """Whether any part of the cluster in `folder` runs."""
    return (
        any(
            _pid(path, "streamlit run app.py")
            for path in (folder / "cluster").glob("replica-*.pid")
        )
        or _pid(folder / "nginx" / "nginx.pid", str(folder / "nginx" / "nginx.conf")) is not None
    )


def replica_pid(folder: Path, index: int) -> int | None:
    """The pid of replica `index` if it runs (tests kill it to see its users move)."""
    state = status(folder)
    if state is None:
        return None
    port = int(state["replicas"][index].rsplit(":", 1)[1])
    return _pid(Path(folder).resolve() / "cluster" / f"replica-{index}.pid", _replica_marker(port))


def _end(pid: int, marker: str, *, group: bool) -> None:
    """SIGTERM (the process group if `group`), SIGKILL after STOP_SECONDS; wait until gone."""
    kill = os.killpg if group else os.kill
    for sig, wait in ((signal.SIGTERM, STOP_SECONDS), (signal.SIGKILL, STOP_SECONDS)):
        try:
            kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if marker not in _cmdline(pid):
                return
            time.sleep(0.1)


def stop(folder: Path = DEFAULT_FOLDER) -> list[str]:
    """End nginx, the replicas and PostgreSQL started in `folder`, and nothing else; say what
    was ended."""
    folder = Path(folder).resolve()
    ended = []
    conf = folder / "nginx" / "nginx.conf"
    pid = _pid(folder / "nginx" / "nginx.pid", str(conf))
    if pid is not None:
        _end(pid, str(conf), group=False)
        ended.append(f"nginx (pid {pid})")
    state = status(folder)
    ports = [int(u.rsplit(":", 1)[1]) for u in state["replicas"]] if state else []
    for path in sorted((folder / "cluster").glob("replica-*.pid")):
        index = int(path.stem.split("-")[1])
        marker = _replica_marker(ports[index]) if index < len(ports) else "streamlit run app.py"
        pid = _pid(path, marker)
        if pid is not None:
            _end(pid, marker, group=True)
            ended.append(f"replica {index} (pid {pid})")
        path.unlink()
    if pg.is_running(folder / "pg"):
        pg.stop(folder / "pg")
        ended.append("PostgreSQL")
    (folder / "cluster.json").unlink(missing_ok=True)
    return ended


def main(argv: list[str]) -> int:
    """The command line: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m tools.cluster")
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args(argv)
    try:
        if args.command == "stop":
            print("\n".join(f"ended {what}" for what in stop(args.folder)) or "nothing to end")
            return 0
        began = time.monotonic()
        state = start(args.folder, args.replicas, args.port)
    except (ClusterError, pg.PgUnavailable) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(json.dumps({k: v for k, v in state.items() if k != "database_url"}, indent=2))
    print(f"cluster up in {time.monotonic() - began:.1f} s; details in {args.folder}/cluster.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
