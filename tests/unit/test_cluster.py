"""tools.cluster without starting a cluster: `stop` ends only processes it started."""

from __future__ import annotations

import subprocess
import sys

from tools import cluster


def test_stop_ends_nothing_it_did_not_start(tmp_path):
    """A pid file naming a live process that is not the replica (the pid was reused) is
    ignored: that process lives on."""
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / "cluster").mkdir()
        (tmp_path / "cluster" / "replica-0.pid").write_text(f"{other.pid}\n")
        (tmp_path / "nginx").mkdir()
        (tmp_path / "nginx" / "nginx.pid").write_text(f"{other.pid}\n")
        assert cluster.stop(tmp_path) == []
        assert other.poll() is None
        assert not (tmp_path / "cluster" / "replica-0.pid").exists()
    finally:
        other.kill()
        other.wait()
