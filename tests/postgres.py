"""A real PostgreSQL server for the tests (a pytest plugin, loaded by tests/conftest.py).

`pg_server` starts one throwaway cluster per test session with tools/pg.py (in a folder of its
own under /tmp, fsync off) and stops it at the end. `pg_url` gives a test that database with
every table emptied; `pg_fresh_url` gives it a new database with no schema at all, dropped
afterwards. The tests that use them are skipped only where PostgreSQL cannot be had: no binaries
and not root. Under `make test` it is installed first, and as root a missing server is installed
here too, so they always run there.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tools import pg

NO_SERVER = "PostgreSQL tests need Debian's postgresql package (run `make test` as root to get it)"


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a throwaway PostgreSQL server's `dashboard` database, for the whole session."""
    if pg.bin_dir() is None:
        if os.geteuid() != 0:
            pytest.skip(NO_SERVER)
        pg.install()
    folder = Path(tempfile.mkdtemp(prefix="dashboard-test-pg-"))
    try:
        yield pg.start(folder, fast=True)
    finally:
        pg.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server):
    """The URL of the session's database, emptied for this test (its tables kept, no rows)."""
    import psycopg

    with psycopg.connect(pg_server, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'schema_version'"
        ).fetchall()
        if tables:
            conn.execute(f"TRUNCATE {', '.join(name for (name,) in tables)}")
    return pg_server


@pytest.fixture
def pg_fresh_url(pg_server, request):
    """The URL of a new database, without even the schema, for this test alone."""
    import psycopg

    name = f"test_{abs(hash(request.node.nodeid)):x}_{os.getpid()}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield pg_server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
