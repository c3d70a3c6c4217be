"""recordings.kind and agent_user_id: agents' calls recorded by the queue for quality review

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("recordings") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="complaint"))
        batch.add_column(sa.Column("agent_user_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_recordings_agent_user_id_users"), "users", ["agent_user_id"], ["id"])
        batch.create_index(op.f("ix_recordings_agent_user_id"), ["agent_user_id"])


def downgrade() -> None:
    with op.batch_alter_table("recordings") as batch:
        batch.drop_index(op.f("ix_recordings_agent_user_id"))
        batch.drop_constraint(op.f("fk_recordings_agent_user_id_users"), type_="foreignkey")
        batch.drop_column("agent_user_id")
        batch.drop_column("kind")
