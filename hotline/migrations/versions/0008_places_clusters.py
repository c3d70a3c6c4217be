"""places, local units' ground, photo hashes, clusters and duplicate suggestions (issue 16)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

import hotline.models.base

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TS = hotline.models.base.UTCDateTime(timezone=True)
OPEN = sa.text("is_open = true")


def upgrade() -> None:
    op.create_table(
        "clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_case_id", sa.Integer(), sa.ForeignKey(
            "cases.id", name="fk_clusters_lead_case_id_cases", ondelete="CASCADE"), nullable=False),
        sa.Column("category", sa.String(32), nullable=True),
        sa.Column("governorate", sa.String(32), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clusters"),
        sa.UniqueConstraint("lead_case_id", name="uq_clusters_lead_case_id"))
    op.create_table(
        "case_places",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey(
            "cases.id", name="fk_case_places_case_id_cases", ondelete="CASCADE"), nullable=False),
        sa.Column("source", sa.String(16), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("cell", sa.BigInteger(), nullable=True),
        sa.Column("pin_governorate", sa.String(32), nullable=True),
        sa.Column("governorate_conflict", sa.Boolean(), nullable=False),
        sa.Column("local_unit_id", sa.Integer(), sa.ForeignKey(
            "entities.id", name="fk_case_places_local_unit_id_entities"), nullable=True),
        sa.Column("category", sa.String(32), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("text_norm", sa.Text(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), sa.ForeignKey(
            "clusters.id", name="fk_case_places_cluster_id_clusters", ondelete="SET NULL"), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_places"))
    op.create_index("ix_case_places_cluster_id", "case_places", ["cluster_id"])
    op.create_index("ix_case_places_open_cell", "case_places", ["category", "cell", "created_at"],
                    postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_index("ix_case_places_open_unit", "case_places", ["category", "local_unit_id", "created_at"],
                    postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_table(
        "entity_units",
        sa.Column("entity_id", sa.Integer(), sa.ForeignKey(
            "entities.id", name="fk_entity_units_entity_id_entities", ondelete="CASCADE"), nullable=False),
        sa.Column("unit_kind", sa.String(16), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("radius_km", sa.Float(), nullable=True),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("categories", sa.String(400), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", name="pk_entity_units"))
    op.create_table(
        "photo_hashes",
        sa.Column("attachment_id", sa.Integer(), sa.ForeignKey(
            "attachments.id", name="fk_photo_hashes_attachment_id_attachments", ondelete="CASCADE"),
            nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey(
            "cases.id", name="fk_photo_hashes_case_id_cases", ondelete="CASCADE"), nullable=True),
        sa.Column("phash", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("attachment_id", name="pk_photo_hashes"))
    op.create_index("ix_photo_hashes_case_id", "photo_hashes", ["case_id"])
    op.create_table(
        "duplicate_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey(
            "cases.id", name="fk_duplicate_suggestions_case_id_cases", ondelete="CASCADE"), nullable=False),
        sa.Column("candidate_id", sa.Integer(), sa.ForeignKey(
            "cases.id", name="fk_duplicate_suggestions_candidate_id_cases", ondelete="CASCADE"),
            nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("same_unit", sa.Boolean(), nullable=False),
        sa.Column("text_score", sa.Float(), nullable=False),
        sa.Column("photo_distance", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("dismissed_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_duplicate_suggestions"))
    op.create_index("ix_duplicate_suggestions_case_id", "duplicate_suggestions", ["case_id"])
    op.create_index("ix_duplicate_suggestions_candidate_id", "duplicate_suggestions", ["candidate_id"])
    op.create_index("uq_duplicate_suggestions_pair", "duplicate_suggestions", ["case_id", "candidate_id"],
                    unique=True)


def downgrade() -> None:
    for table in ("duplicate_suggestions", "photo_hashes", "entity_units", "case_places", "clusters"):
        op.drop_table(table)
