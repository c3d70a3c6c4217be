"""responses.due_at: the due date an answer was given against (the league table's on-time share)

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa

import hotline.models.base

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None
TS = hotline.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("due_at", TS, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("due_at")
