"""Test databases: a migrated template per backend, copied or cleaned for each test."""
from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tests.support.services import PG_ADMIN_URL

# Tables that keep their rows between tests (entities are re-synchronised from config/ instead).
KEEP_TABLES = {"entities", "alembic_version"}


def create_postgresql_database() -> str:
    """A new empty PostgreSQL database; returns its URL."""
    name = f"shakwa_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_postgresql_database(url: str) -> None:
    """Drop a database made by :func:`create_postgresql_database`."""
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def clean_postgresql(url: str) -> None:
    """Empty the data tables and restore the reference data a test may have edited.

    TRUNCATE bypasses the audit trail's append-only trigger, on purpose; a test that
    disabled the trigger (to play an attacker) has it enabled again for the next."""
    from sqlalchemy import inspect

    from hotline import db

    tables = sorted(set(inspect(db.engine(url)).get_table_names()) - KEEP_TABLES)
    for attempt in range(5):
        try:
            with db.engine(url).begin() as conn:
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
                conn.execute(text("ALTER TABLE audit_entries ENABLE TRIGGER USER"))
            break
        except OperationalError as exc:
            # A background thread of the previous test (a job pick-up, an event follower) still
            # reading: PostgreSQL picks one side of the deadlock to fail; try again.
            if "deadlock" not in str(exc) or attempt == 4:
                raise
            time.sleep(0.2)
    from hotline import reference

    with db.session_scope(url) as session:
        reference.load_into(session)


def copy_sqlite(template: Path, target: Path) -> str:
    """A fresh SQLite database copied from a migrated template file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"
