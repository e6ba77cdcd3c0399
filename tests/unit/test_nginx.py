"""The nginx config tools.nginx writes for the cluster, read as text and checked by nginx itself."""

from __future__ import annotations

import re
import subprocess

import pytest

from core.settings import MAX_UPLOAD_MB
from tools import nginx


@pytest.fixture
def conf(tmp_path) -> str:
    return nginx.render(tmp_path, 8080, [8081, 8082, 8083])


def test_the_body_limit_is_the_apps_upload_limit_plus_the_multipart_envelope(conf):
    limit = re.search(r"client_max_body_size (\d+)m;", conf)
    assert int(limit[1]) == MAX_UPLOAD_MB + nginx.MULTIPART_MARGIN_MB


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
    binary = nginx.binary()
    if binary is None:
        pytest.fail(nginx.NO_NGINX, pytrace=False)
    for sub in ("logs", "tmp"):
        (tmp_path / sub).mkdir()
    (tmp_path / "nginx.conf").write_text(conf)
    checked = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "logs/error.log")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
