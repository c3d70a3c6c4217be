"""recordings.header_sha256: the vault file's age header digest, for seekable playback

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows written before stay NULL: playback checks those files whole, and the next key
    # rotation records their header.
    op.add_column("recordings", sa.Column("header_sha256", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recordings") as batch:
        batch.drop_column("header_sha256")
