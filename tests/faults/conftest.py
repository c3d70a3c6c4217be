"""Fault fixtures: private database and Redis servers the test stops and starts, with settings on them."""
from __future__ import annotations

import pytest

from hotline import db, keyfiles, migrate, redis_conn, reference
from tests.conftest import make_settings, use_settings
from tests.faults.servers import PrivatePostgres, PrivateRedis


@pytest.fixture
def private_pg():
    """A migrated PostgreSQL of the test's own, with reference data; stopped and removed after."""
    server = PrivatePostgres()
    try:
        server.start()
        migrate.upgrade(server.url)
        with db.session_scope(server.url) as session:
            reference.load_into(session)
        yield server
    finally:
        db.dispose()
        server.close()


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    redis_conn.reset()
    server.close()


@pytest.fixture
def on_private_pg(private_pg, tmp_path):
    """Settings on the private PostgreSQL (embedded jobs and events)."""
    key = tmp_path / "pii.key"
    keyfiles.read_or_create(key, setting="pii_key_file")
    return use_settings(make_settings(tmp_path / "var", database_url=private_pg.url, pii_key_file=str(key)))
