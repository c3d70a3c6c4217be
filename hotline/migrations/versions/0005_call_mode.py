"""calls.mode holds 'simulated' (9 characters): widen it to 16

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite does not enforce VARCHAR lengths; PostgreSQL does.
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("calls", "mode", type_=sa.String(16), existing_type=sa.String(8))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("calls", "mode", type_=sa.String(8), existing_type=sa.String(16))
