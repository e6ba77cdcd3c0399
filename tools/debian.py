"""Debian's packages for the servers and browser the tests and the cluster run: installed with
apt-get when missing, by root only (anyone else is told what is missing by the caller)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def can_install() -> bool:
    """Whether this process may install Debian packages (root, on a system with apt-get)."""
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def apt_install(packages: list[str], why: str) -> None:
    """`apt-get update` then `apt-get install -y packages`, saying `why` on stderr first."""
    print(why, file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    out = {"stdout": sys.stderr, "env": env, "check": True}
    subprocess.run(["apt-get", "update", "-q"], **out)
    subprocess.run(["apt-get", "install", "-y", "-q", *packages], **out)
