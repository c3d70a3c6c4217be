"""notifications to citizens (queued/sent/failed + reason) and hashed Open311 API keys

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

import hotline.models.base

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = hotline.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(),
                  sa.ForeignKey("cases.id", name="fk_notifications_case_id_cases", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("provider_id", sa.String(128), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"))
    op.create_index("ix_notifications_case_id", "notifications", ["case_id"])
    op.create_index("ix_notifications_state", "notifications", ["state"])

    op.create_table(
        "open311_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(),
                  sa.ForeignKey("entities.id", name="fk_open311_keys_entity_id_entities"), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_open311_keys"),
        sa.UniqueConstraint("key_hash", name="uq_open311_keys_key_hash"))
    op.create_index("ix_open311_keys_entity_id", "open311_keys", ["entity_id"])


def downgrade() -> None:
    op.drop_table("open311_keys")
    op.drop_table("notifications")
