"""console: agent states, calls taken, QA scorecards, search index (and PostgreSQL trigram indexes)

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

import hotline.models.base

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = hotline.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "agent_states",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_agent_states_user_id_users"),
                  nullable=False, autoincrement=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("since", TS, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_agent_states"))
    op.create_index("ix_agent_states_state", "agent_states", ["state"])

    op.create_table(
        "agent_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_agent_calls_user_id_users"), nullable=False),
        sa.Column("call_id", sa.Integer(), sa.ForeignKey("calls.id", name="fk_agent_calls_call_id_calls"), nullable=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", name="fk_agent_calls_case_id_cases"), nullable=True),
        sa.Column("taken_at", TS, nullable=False),
        sa.Column("disposition", sa.String(32), nullable=True),
        sa.Column("closed_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_agent_calls"))
    for column in ("user_id", "call_id", "case_id"):
        op.create_index(f"ix_agent_calls_{column}", "agent_calls", [column])

    op.create_table(
        "qa_scorecards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", name="fk_qa_scorecards_case_id_cases"), nullable=False),
        sa.Column("recording_id", sa.Integer(), sa.ForeignKey("recordings.id", name="fk_qa_scorecards_recording_id_recordings"), nullable=True),
        sa.Column("reviewer_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_qa_scorecards_reviewer_id_users"), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_qa_scorecards"))
    op.create_index("ix_qa_scorecards_case_id", "qa_scorecards", ["case_id"])
    op.create_index("ix_qa_scorecards_reviewer_id", "qa_scorecards", ["reviewer_id"])

    op.create_table(
        "case_search",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", name="fk_case_search_case_id_cases", ondelete="CASCADE"),
                  nullable=False, autoincrement=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_search"))
    op.create_index("ix_case_search_created_at", "case_search", ["created_at"])

    op.create_table(
        "search_watermarks",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_search_watermarks"))
    op.execute("INSERT INTO search_watermarks (name, last_id) VALUES ('cases', 0), ('transcripts', 0)")

    # Search by national ID goes complainant → case.
    op.create_index("ix_cases_complainant_id", "cases", ["complainant_id"])

    if op.get_bind().dialect.name == "postgresql":
        # Substring search over 1M cases: trigram GIN indexes serve LIKE '%word%'.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_case_search_body_trgm ON case_search USING gin (body gin_trgm_ops)")
        # The case list sorts newest first under every filter.
        op.execute("CREATE INDEX ix_cases_status_created ON cases (status, created_at DESC)")
        op.execute("CREATE INDEX ix_cases_entity_created ON cases (entity_id, created_at DESC)")
        op.execute("CREATE INDEX ix_cases_category_created ON cases (category, created_at DESC)")
        op.execute("CREATE INDEX ix_cases_governorate_created ON cases (governorate, created_at DESC)")
        op.execute("CREATE INDEX ix_cases_open_due ON cases (due_at) WHERE status NOT IN ('closed', 'rejected', 'duplicate')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("ix_cases_status_created", "ix_cases_entity_created", "ix_cases_category_created",
                     "ix_cases_governorate_created", "ix_cases_open_due"):
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_cases_complainant_id", "cases")
    for table in ("search_watermarks", "case_search", "qa_scorecards", "agent_calls", "agent_states"):
        op.drop_table(table)
