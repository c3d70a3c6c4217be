"""callbacks: callers who asked to be called back instead of waiting in the queue

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa

import hotline.models.base

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None
TS = hotline.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "callbacks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("waiting_since", TS, nullable=False),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_callbacks_call_id_calls")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_callbacks_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callbacks")),
    )
    for column in ("call_id", "case_id", "waiting_since", "state"):
        op.create_index(op.f(f"ix_callbacks_{column}"), "callbacks", [column])


def downgrade() -> None:
    op.drop_table("callbacks")
