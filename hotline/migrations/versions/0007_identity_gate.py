"""identity gate: consent history, session versions, two-admin grants, keyed audit chain

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every change of a complainant's consent: the old value stays, with who, how and why.
    op.create_table(
        "consent_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complainant_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("old", sa.Boolean(), nullable=True),
        sa.Column("new", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["complainant_id"], ["complainants.id"],
                                name=op.f("fk_consent_changes_complainant_id_complainants")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_consent_changes_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_changes")))
    op.create_index(op.f("ix_consent_changes_complainant_id"), "consent_changes", ["complainant_id"])
    # A session cookie names the version it was made under; bumping it ends every session.
    op.add_column("users", sa.Column("session_version", sa.Integer(), nullable=False,
                                     server_default="0"))
    # An admin's grant that reaches case contents waits for a second admin.
    op.create_table(
        "grant_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_grant_requests_user_id_users")),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"],
                                name=op.f("fk_grant_requests_requested_by_users")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"],
                                name=op.f("fk_grant_requests_decided_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_requests")))
    op.create_index(op.f("ix_grant_requests_status"), "grant_requests", ["status"])
    # NULL: an entry chained with plain SHA-256 before this revision; "hmac1": keyed HMAC-SHA256.
    op.add_column("audit_entries", sa.Column("chain", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("chain")
    op.drop_index(op.f("ix_grant_requests_status"), table_name="grant_requests")
    op.drop_table("grant_requests")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_version")
    op.drop_index(op.f("ix_consent_changes_complainant_id"), table_name="consent_changes")
    op.drop_table("consent_changes")
