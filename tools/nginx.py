"""nginx in front of the replicas: find or install Debian's binary, and write its config from
`deploy/nginx.conf.template` (sticky by a route cookie, websocket, passive health, upload limit).

`python -m tools.nginx --install` (root): apt-get install nginx when it is missing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tools.debian import apt_install, can_install

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"
ROUTE_COOKIE = "dashboard_route"
MULTIPART_MARGIN_MB = 1
NO_NGINX = (
    "No nginx binary. Install Debian's (`sudo apt-get install nginx`); "
    "`make cluster` installs it when run as root."
)


def binary() -> str | None:
    """nginx on PATH, or Debian's /usr/sbin/nginx (not on a user's PATH)."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).exists() else None


def install() -> None:
    """Install Debian's nginx with apt-get when it is missing; only root can."""
    if binary() is not None or not can_install():
        return
    apt_install(["nginx"], "No nginx found: installing Debian's nginx package")


def upload_limit_mb() -> int:
    """The app's upload limit: Streamlit's server.maxUploadSize (a test keeps it equal to
    core.settings.MAX_UPLOAD_MB)."""
    return tomllib.loads(STREAMLIT_CONFIG.read_text())["server"]["maxUploadSize"]


def render(prefix: Path, port: int, replica_ports: list[int]) -> str:
    """nginx.conf for a listener on 127.0.0.1:port in front of the replicas on those ports."""
    servers = [f"127.0.0.1:{p}" for p in replica_ports]
    pools = []
    for i, own in enumerate(servers):
        lines = [f"server {own} max_fails=1 fail_timeout=10s;"]
        lines += [f"server {s} max_fails=1 fail_timeout=10s backup;" for s in servers if s != own]
        pools.append(f"    upstream dashboard_r{i} {{\n" + _indent(lines, 8) + "\n    }")
    cookie = "; Path=/; HttpOnly; SameSite=Lax"
    last_tried = ['"~(^|, )' + s.replace(".", "\\.") + '$"' for s in servers]
    values = {
        "prefix": str(prefix),
        "listen": f"127.0.0.1:{port}",
        "max_body_mb": str(upload_limit_mb() + MULTIPART_MARGIN_MB),
        "pool_by_route": _indent([f"r{i} dashboard_r{i};" for i in range(len(servers))], 8),
        "cookie_by_upstream": _indent(
            [
                f'{pattern:<28} "{ROUTE_COOKIE}=r{i}{cookie}";'
                for i, pattern in enumerate(last_tried)
            ],
            8,
        ),
        "all_servers": _indent([f"server {s} max_fails=1 fail_timeout=10s;" for s in servers], 8),
        "replica_pools": "\n\n".join(pools),
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def _indent(lines: list[str], spaces: int) -> str:
    return "\n".join(" " * spaces + line for line in lines)


def start(prefix: Path, port: int, replica_ports: list[int]) -> None:
    """Write prefix/nginx.conf and start nginx (it daemonizes) with every path inside `prefix`;
    RuntimeError with nginx's own words when it cannot."""
    nginx = binary()
    if nginx is None:
        raise RuntimeError(NO_NGINX)
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(render(prefix, port, replica_ports))
    done = subprocess.run(
        [nginx, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "logs/error.log")],
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"nginx did not start: {done.stderr.strip()[-2000:]}")


def main(argv: list[str]) -> int:
    """--install: install nginx when missing (root); print its path, or how to get it."""
    if "--install" in argv:
        install()
    found = binary()
    print(found or NO_NGINX, file=sys.stdout if found else sys.stderr)
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
