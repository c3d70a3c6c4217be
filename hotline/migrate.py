"""Apply the Alembic migrations to the configured database."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from hotline import db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection) -> Config:
    """An Alembic config bound to an open connection (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the schema up to ``revision``; a no-op when it is already there."""
    with db.engine(url).begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def current(url: str | None = None) -> str | None:
    """The schema's current revision, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with db.engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head() -> str:
    """The newest revision the code knows."""
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()
