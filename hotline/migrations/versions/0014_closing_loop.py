"""closing the loop: satisfaction surveys, and when an entity was reminded of an overdue case

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa

import hotline.models.base

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None
TS = hotline.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("result", sa.String(16), nullable=True),
        sa.Column("answered_via", sa.String(16), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("recording_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_surveys_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["response_id"], ["responses.id"], name=op.f("fk_surveys_response_id_responses")),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name=op.f("fk_surveys_entity_id_entities")),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_surveys_call_id_calls")),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"],
                                name=op.f("fk_surveys_recording_id_recordings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    for column in ("case_id", "entity_id", "state", "next_attempt_at"):
        op.create_index(op.f(f"ix_surveys_{column}"), "surveys", [column])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("reminded_at", TS, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("reminded_at")
    op.drop_table("surveys")
