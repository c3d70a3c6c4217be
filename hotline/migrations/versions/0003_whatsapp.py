"""whatsapp: conversations per citizen and business number, messages in and out

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

import hotline.models.base

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = hotline.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "whatsapp_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("phone_hash", sa.String(64), nullable=True),
        sa.Column("wa_id_enc", sa.LargeBinary(), nullable=True),
        sa.Column("business_number", sa.String(16), nullable=False),
        sa.Column("phone_number_id", sa.String(32), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("state", sa.String(24), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("case_id", sa.Integer(),
                  sa.ForeignKey("cases.id", name="fk_whatsapp_conversations_case_id_cases"), nullable=True),
        sa.Column("last_inbound_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_whatsapp_conversations"),
        sa.UniqueConstraint("phone_hash", "business_number", name="uq_whatsapp_conversations_phone_business"))
    op.create_index("ix_whatsapp_conversations_phone_hash", "whatsapp_conversations", ["phone_hash"])
    op.create_index("ix_whatsapp_conversations_case_id", "whatsapp_conversations", ["case_id"])

    op.create_table(
        "whatsapp_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(),
                  sa.ForeignKey("whatsapp_conversations.id",
                                name="fk_whatsapp_messages_conversation_id_whatsapp_conversations"),
                  nullable=False),
        sa.Column("case_id", sa.Integer(),
                  sa.ForeignKey("cases.id", name="fk_whatsapp_messages_case_id_cases"), nullable=True),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("wa_message_id", sa.String(128), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_whatsapp_messages_user_id_users"), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_whatsapp_messages"),
        sa.UniqueConstraint("wa_message_id", name="uq_whatsapp_messages_wa_message_id"))
    for column in ("conversation_id", "case_id", "status", "created_at"):
        op.create_index(f"ix_whatsapp_messages_{column}", "whatsapp_messages", [column])


def downgrade() -> None:
    op.drop_table("whatsapp_messages")
    op.drop_table("whatsapp_conversations")
