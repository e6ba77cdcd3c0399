"""tools/pg.py: a throwaway PostgreSQL on loopback that starts, answers, stops and starts again
with its data and URL."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tools import pg


@pytest.fixture
def folder(pg_server):  # pg_server: PostgreSQL is there (installed or skipped with a reason)
    made = Path(tempfile.mkdtemp(prefix="dashboard-test-pgtool-"))
    yield made
    pg.stop(made)
    shutil.rmtree(made, ignore_errors=True)


def test_a_cluster_starts_on_loopback_stops_and_starts_again_with_its_data(folder):
    import psycopg

    url = pg.start(folder, fast=True)
    assert url.startswith("postgresql://dashboard:") and "@127.0.0.1:" in url
    assert url.endswith("/dashboard") and pg.is_running(folder)
    assert pg.start(folder) == url  # already running: the same server
    assert pg.url(folder) == url
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        (sockets,) = conn.execute("SHOW unix_socket_directories").fetchone()
        assert sockets == str(folder.resolve() / "run")
        conn.execute("CREATE TABLE kept (a text)")
    pg.stop(folder)
    assert not pg.is_running(folder) and pg.url(folder) is None
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
    pg.stop(folder)  # stopping a stopped cluster is no error
    assert pg.start(folder) == url  # same port and password
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM kept").fetchone() == (0,)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the server as another user")
def test_as_root_a_folder_the_server_user_cannot_reach_is_refused_plainly(folder):
    closed = folder / "closed"
    closed.mkdir(mode=0o700)
    shutil.chown(folder, "root")
    folder.chmod(0o700)
    with pytest.raises(pg.PgUnavailable, match=f"cannot reach {closed / 'pg'}: {folder} is closed"):
        pg.start(closed / "pg")
    assert not (closed / "pg" / "data").exists()
