"""tools.cluster without starting a cluster: the nginx config it writes, checked by nginx itself,
and `stop`, which ends only processes it started."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from core.settings import MAX_UPLOAD_MB
from tools import cluster


@pytest.fixture
def conf(tmp_path) -> str:
    return cluster.render_nginx(tmp_path, 8080, [8081, 8082, 8083])


def test_the_body_limit_is_the_apps_upload_limit_plus_the_multipart_envelope(conf):
    limit = re.search(r"client_max_body_size (\d+)m;", conf)
    assert int(limit[1]) == MAX_UPLOAD_MB + cluster.MULTIPART_MARGIN_MB


def test_each_replica_has_a_pool_with_the_others_as_backups(conf):
    pool = re.search(r"upstream dashboard_r1 \{(.*?)\}", conf, re.S)[1]
    servers = re.findall(r"server (\S+) (.*);", pool)
    assert servers[0] == ("127.0.0.1:8082", "max_fails=1 fail_timeout=10s")
    assert sorted(s for s, flags in servers[1:] if flags.endswith("backup")) == [
        "127.0.0.1:8081",
        "127.0.0.1:8083",
    ]
    assert "r1 dashboard_r1;" in conf
    # the cookie names the last address tried: after a failover, the backup that answered
    assert re.search(r'"~\(\^\|, \)127\\\.0\\\.0\\\.1:8083\$"\s+"dashboard_route=r2;', conf)


def test_the_websocket_is_upgraded_and_kept_open(conf):
    stream = re.search(r"location = /_stcore/stream \{(.*?)\}", conf, re.S)[1]
    assert "proxy_read_timeout 1d;" in stream
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "proxy_set_header Connection $connection_upgrade;" in conf
    assert re.search(r"\{\{\w+\}\}", conf) is None  # every placeholder filled in


def test_nginx_accepts_the_config(tmp_path, conf):
    nginx = cluster.nginx_binary()
    if nginx is None:
        pytest.fail(cluster.NO_NGINX, pytrace=False)
    for sub in ("logs", "tmp"):
        (tmp_path / sub).mkdir()
    (tmp_path / "nginx.conf").write_text(conf)
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "logs/error.log")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr


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
