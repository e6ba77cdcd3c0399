"""A throwaway PostgreSQL cluster from Debian's packages, on loopback: for tests, `make cluster`.

`start(folder)` runs `initdb` into `folder/data` (once), listens on 127.0.0.1 only, on its own
port and with its own unix socket folder (`folder/run`), starts the server (`pg_ctl start -w`),
creates the database `dashboard` and returns its URL, password included. The URL is also kept
in `folder/pg.json`, so that starting a folder that is already running only returns its URL.
`stop(folder)` stops it (`pg_ctl stop -m fast`); nothing else is touched.

PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the `postgres` system user
(`runuser -u postgres --`), which is given the folder; every folder above it must be open to it
(`/tmp`, or a checkout under a world-readable path, are). Any other user runs them as itself.

    python -m tools.pg start DIR [--port N] [--fast]   # prints the URL
    python -m tools.pg stop DIR
    python -m tools.pg url DIR                         # the URL of a running cluster
    python -m tools.pg --install                       # root: apt-get install postgresql if missing
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from tools.debian import apt_install, can_install

DATABASE = "dashboard"
USER = "dashboard"
RUN_AS = "postgres"  # the Debian package's system user
DEBIAN_PACKAGES = ["postgresql"]
START_TIMEOUT_SECONDS = 60
NO_POSTGRES = (
    "No PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin. Install them "
    "(e.g. `sudo apt-get install postgresql`); `make test` installs them when run as root."
)
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
"""For test clusters only: a crash may lose them, which a throwaway cluster does not mind."""


class PgUnavailable(RuntimeError):
    """PostgreSQL cannot be started here: no binaries, or no way to run them."""


def bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl, or None."""
    found = [
        d for d in Path("/usr/lib/postgresql").glob("*/bin")
        if (d / "initdb").exists() and (d / "pg_ctl").exists()
    ]  # fmt: skip
    return max(found, key=lambda d: _version(d.parent.name), default=None)


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def install() -> None:
    """Install Debian's PostgreSQL with apt-get when it is missing; only root can."""
    if bin_dir() is not None or not can_install():
        return
    apt_install(DEBIAN_PACKAGES, "No PostgreSQL found: installing Debian's postgresql package")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], folder: Path, env: dict[str, str] | None = None) -> str:
    """Run a PostgreSQL program (as the postgres user when we are root); its output, or a
    PgUnavailable with its error."""
    tool = bin_dir()
    if tool is None:
        raise PgUnavailable(NO_POSTGRES)
    cmd = [str(tool / args[0]), *args[1:]]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", RUN_AS, "--", *cmd]
    done = subprocess.run(
        cmd, cwd=folder, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    if done.returncode != 0:
        raise PgUnavailable(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout


def _give(folder: Path) -> None:
    """As root, hand the folder to the postgres user, and check that it can reach it."""
    if os.geteuid() != 0:
        return
    shutil.chown(folder, RUN_AS, RUN_AS)
    for path in folder.rglob("*"):
        shutil.chown(path, RUN_AS, RUN_AS)
    for path in [*reversed(folder.parents), folder]:
        if subprocess.run(["runuser", "-u", RUN_AS, "--", "test", "-x", str(path)]).returncode:
            raise PgUnavailable(
                f"the {RUN_AS} user cannot reach {folder}: {path} is closed to other users; "
                f"choose another folder (e.g. one made in /tmp) or open it (chmod o+x {path})"
            )


def _free(port: int | None) -> int | None:
    """`port` if nothing listens on it now (a restarted cluster keeps its URL), else None."""
    if port is None:
        return None
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return None
    return port


def _state(folder: Path) -> dict | None:
    path = folder / "pg.json"
    return json.loads(path.read_text()) if path.exists() else None


def is_running(folder: Path) -> bool:
    """Whether the cluster in `folder` is running now."""
    folder = Path(folder).resolve()
    if not (folder / "data" / "PG_VERSION").exists():
        return False
    try:
        _run(["pg_ctl", "status", "-D", str(folder / "data")], folder)
    except PgUnavailable:
        return False
    return True


def start(folder: Path, port: int | None = None, *, fast: bool = False) -> str:
    """Start (making it first if needed) the cluster in `folder` on 127.0.0.1:`port` (a free
    one if None) and return the URL of its database; `fast` turns off fsync (tests only)."""
    folder = Path(folder).resolve()
    if bin_dir() is None:
        raise PgUnavailable(NO_POSTGRES)
    state = _state(folder)
    if state is not None and is_running(folder):
        return state["url"]
    folder.mkdir(parents=True, exist_ok=True)
    data, run = folder / "data", folder / "run"
    run.mkdir(exist_ok=True)
    if state is None or not (data / "PG_VERSION").exists():
        _give(folder)
        password = secrets.token_urlsafe(18)
        pwfile = folder / "pwfile"
        pwfile.write_text(password + "\n")
        pwfile.chmod(0o600)
        shutil.rmtree(data, ignore_errors=True)
        _give(folder)
        try:
            _run(
                ["initdb", "-D", str(data), "-U", USER, "--pwfile", str(pwfile),
                 "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
                 "--encoding=UTF8", "--locale=C.UTF-8"],
                folder,
            )  # fmt: skip
        finally:
            pwfile.unlink()
        state = {"password": password}
    port = port or _free(state.get("port")) or free_port()
    settings = {
        "listen_addresses": "'127.0.0.1'", "port": str(port),
        "unix_socket_directories": f"'{run}'", **(FAST_SETTINGS if fast else {}),
    }  # fmt: skip
    # postgresql.auto.conf is read last, so these win over postgresql.conf
    (data / "postgresql.auto.conf").write_text(
        "".join(f"{name} = {value}\n" for name, value in settings.items())
    )
    _give(folder)
    log = folder / "server.log"
    _run(
        ["pg_ctl", "start", "-w", "-t", str(START_TIMEOUT_SECONDS), "-D", str(data),
         "-l", str(log)],
        folder,
    )  # fmt: skip
    url = f"postgresql://{USER}:{state['password']}@127.0.0.1:{port}/{DATABASE}"
    env = {"PGPASSWORD": state["password"]}
    host = ["-h", "127.0.0.1", "-p", str(port), "-U", USER]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"
    exists = _run(["psql", *host, "-d", "postgres", "-tAc", query], folder, env)
    if exists.strip() != "1":
        _run(["createdb", *host, DATABASE], folder, env)
    state = {"password": state["password"], "port": port, "url": url}
    (folder / "pg.json").write_text(json.dumps(state))
    (folder / "pg.json").chmod(0o600)
    return url


def url(folder: Path) -> str | None:
    """The URL of the cluster in `folder` if it is running, else None."""
    folder = Path(folder).resolve()
    state = _state(folder)
    return state["url"] if state and "url" in state and is_running(folder) else None


def stop(folder: Path) -> None:
    """Stop the cluster in `folder` if it runs (fast shutdown: sessions are ended)."""
    folder = Path(folder).resolve()
    if is_running(folder):
        _run(["pg_ctl", "stop", "-w", "-m", "fast", "-D", str(folder / "data")], folder)


def main(argv: list[str]) -> int:
    """The command line: see the module docstring."""
    if argv[:1] == ["--install"]:
        install()
        found = bin_dir()
        print(found if found else NO_POSTGRES, file=sys.stdout if found else sys.stderr)
        return 0 if found else 1
    if len(argv) < 2 or argv[0] not in ("start", "stop", "url"):
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[1])
    try:
        if argv[0] == "stop":
            stop(folder)
            return 0
        if argv[0] == "url":
            found = url(folder)
            print(found or f"no cluster runs in {folder}", file=sys.stdout if found else sys.stderr)
            return 0 if found else 1
        port = int(argv[argv.index("--port") + 1]) if "--port" in argv else None
        print(start(folder, port, fast="--fast" in argv))
    except PgUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
