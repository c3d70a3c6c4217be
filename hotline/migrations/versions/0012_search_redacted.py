"""case_search rebuilt with identities redacted: bodies indexed before issue 14 held them

Revision ID: 0012
Revises: 0011
"""
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Emptied and its watermarks reset: the first search re-indexes every case in batches
    # (agent_console.search_index.catch_up), now through hotline.redaction.
    op.execute("DELETE FROM case_search")
    op.execute("UPDATE search_watermarks SET last_id = 0")


def downgrade() -> None:
    pass  # the redacted index serves the older code as well
