"""a shift's console: what a history row records, queue calls, back-office work claims (issue 15)

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

import hotline.models.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TS = hotline.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    # A code for what a history row records beyond a status (auto_routed, declined, ...): shown
    # in the reader's language instead of a note written in one.
    with op.batch_alter_table("case_history") as table:
        table.add_column(sa.Column("event", sa.String(32), nullable=True))
    op.create_table(
        "queue_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uniqueid", sa.String(64), nullable=False),
        sa.Column("call_id", sa.Integer(), sa.ForeignKey(
            "calls.id", name="fk_queue_calls_call_id_calls", ondelete="SET NULL"), nullable=True),
        sa.Column("queue", sa.String(64), nullable=True),
        sa.Column("joined_at", TS, nullable=False),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("abandoned_at", TS, nullable=True),
        sa.Column("hold_seconds", sa.Integer(), nullable=True),
        sa.Column("agent", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_queue_calls"),
        sa.UniqueConstraint("uniqueid", name="uq_queue_calls_uniqueid"))
    op.create_index("ix_queue_calls_joined_at", "queue_calls", ["joined_at"])
    op.create_index("ix_queue_calls_call_id", "queue_calls", ["call_id"])
    op.create_table(
        "work_claims",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey(
            "cases.id", name="fk_work_claims_case_id_cases", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey(
            "users.id", name="fk_work_claims_user_id_users"), nullable=False),
        sa.Column("claimed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_work_claims"))
    op.create_index("ix_work_claims_user_id", "work_claims", ["user_id"])


def downgrade() -> None:
    op.drop_table("work_claims")
    op.drop_table("queue_calls")
    with op.batch_alter_table("case_history") as table:
        table.drop_column("event")
