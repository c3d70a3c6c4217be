"""Engines and sessions. One engine per database URL per process; ``session_scope()`` per unit of work."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from hotline import settings

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker[Session]] = {}


def engine(url: str | None = None) -> Engine:
    """The shared engine for ``url`` (default: the configured database)."""
    return _factory(url).kw["bind"]


def _factory(url: str | None) -> sessionmaker:
    # The URL is read once and the maps under the lock: a thread still working while another
    # disposes the engines (or installs other settings) gets a fresh engine, not a KeyError.
    url = url or settings.get().database_url
    with _lock:
        if url not in _engines:
            _engines[url] = _create(url)
            _factories[url] = sessionmaker(_engines[url], expire_on_commit=False)
        return _factories[url]


def _create(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # Many threads (a FastAGI call each) share the pool; a burst waits its turn.
        conf = settings.get()
        return create_engine(url, pool_pre_ping=True, pool_size=conf.database_pool_size,
                             max_overflow=conf.database_max_overflow,
                             pool_timeout=conf.database_pool_timeout)
    if parsed.database and parsed.database != ":memory:":
        private_file(Path(parsed.database))
    created = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(created, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # WAL lets the console read while the IVR writes; foreign keys are off by default.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(created, "begin")
    def _sqlite_begin(connection):
        # Take the write lock at BEGIN, so two writers queue instead of failing to upgrade.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return created


def private_file(path: Path) -> None:
    """Make the SQLite file (and its WAL and shared-memory files, which SQLite creates with the
    file's mode) readable by its owner only: it holds the cases, if not the identities' keys."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if part.exists() and part.stat().st_mode & 0o077:
            part.chmod(0o600)


def is_postgresql(url: str | None = None) -> bool:
    """True when the (configured) database is PostgreSQL."""
    return make_url(url or settings.get().database_url).get_backend_name() == "postgresql"


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = _factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def dispose() -> None:
    """Close every pooled connection (after fork, or at the end of tests)."""
    with _lock:
        for created in _engines.values():
            created.dispose()
        _engines.clear()
        _factories.clear()
