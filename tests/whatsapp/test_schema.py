"""Migration 0003 creates exactly the tables the WhatsApp models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from agent_console.whatsapp import models
from hotline import db

TABLES = {"whatsapp_conversations", "whatsapp_messages"}


def test_migration_matches_the_models(db_url):
    assert models.Message.__table__.metadata is models.Base.metadata
    with db.engine(db_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, models.Base.metadata)

    def table_of(change) -> str | None:
        for item in change if isinstance(change, list) else [change]:
            for part in item[1:]:
                name = getattr(part, "name", None) if not hasattr(part, "table") else part.table.name
                if name:
                    return name
        return None

    mine = [change for change in diff if table_of(change) in TABLES]
    assert mine == []
