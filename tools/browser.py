"""Start a `streamlit run` server and find the system Chromium: shared by tests, bench, scripts.

`python -m tools.browser` prints the Chromium's path (exit 1 and a hint when there is none);
with `--install`, root installs Debian's package first when none is found. The Makefile uses it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tools.debian import apt_install, can_install

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
NO_CHROMIUM = (
    "No Chromium for the browser tests. Install one (e.g. `sudo apt-get install chromium`) "
    "or set CHROMIUM=/path/to/chromium. `make test` installs it when run as root."
)
DEBIAN_PACKAGES = ["chromium", "fonts-dejavu-core"]


def find_chromium() -> str | None:
    """$CHROMIUM, /usr/bin/chromium or chromium on PATH, whichever exists first."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    app: Path, port: int, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """Start `streamlit run app` on 127.0.0.1:port (with extra environment `env`) and wait for
    its health check. Its output goes to a log file (its path in `proc.log_path`), never to a
    pipe: a pipe nobody reads fills up after 64 KB of warnings and then blocks the server's
    every thread on its next write, which froze the browser tier and a load run for good."""
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log_path = Path(tempfile.gettempdir()) / f"streamlit-{port}-{os.getpid()}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
    proc.log_path = log_path
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {server_log(proc)[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    tail = server_log(proc)[-2000:]
    raise RuntimeError(f"streamlit did not start within {timeout:.0f} s: {tail}")


def server_log(proc: subprocess.Popen) -> str:
    """What a server started by start_server has printed so far."""
    return proc.log_path.read_text(errors="replace")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server started by start_server, and remove its log."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    proc.log_path.unlink(missing_ok=True)


def install_chromium() -> None:
    """Install Debian's Chromium with apt-get; only root on a Debian-like system can."""
    if not can_install():
        return
    apt_install(
        DEBIAN_PACKAGES, "No Chromium found: installing Debian's chromium package with apt-get"
    )


def main(argv: list[str]) -> int:
    """Print the Chromium's path; with --install, install it first when there is none."""
    if find_chromium() is None and "--install" in argv:
        install_chromium()
    path = find_chromium()
    if path is None:
        print(NO_CHROMIUM, file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
