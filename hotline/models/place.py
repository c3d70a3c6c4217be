"""Where a case is, and what the duplicate search needs of it: one row per case.

``CasePlace`` copies the few case fields the candidate query filters on (category, open, created)
so that finding the duplicates of a new case is one indexed look-up, without joining ``cases``;
``hotline.casewatch`` keeps the copy in step whenever a case is created or changed.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base, utcnow


class CasePlace(Base):
    """A case's pin (if any), the governorate its borders put it in, its local unit and cluster."""

    __tablename__ = "case_places"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True,
                                         autoincrement=False)
    source: Mapped[str | None] = mapped_column(String(16))  # whatsapp | open311 | console | ivr
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    cell: Mapped[int | None] = mapped_column(BigInteger)  # hotline.geo.cell of the pin
    # The governorate the pin lies in by real borders, and whether the case names another one.
    pin_governorate: Mapped[str | None] = mapped_column(String(32))
    governorate_conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    local_unit_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))
    category: Mapped[str | None] = mapped_column(String(32))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    text_norm: Mapped[str] = mapped_column(Text, default="")  # description + transcript, normalised
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        # Only open cases are ever candidates: the partial indexes stay small however many
        # closed cases the table holds.
        Index("ix_case_places_open_cell", "category", "cell", "created_at",
              postgresql_where=is_open == true(), sqlite_where=is_open == true()),
        Index("ix_case_places_open_unit", "category", "local_unit_id", "created_at",
              postgresql_where=is_open == true(), sqlite_where=is_open == true()),
    )


class EntityUnit(Base):
    """What the entity tree knows of a local unit's ground: kind, centre, reach, other names,
    and the categories it collects itself (garbage, for a markaz's cleaning section)."""

    __tablename__ = "entity_units"

    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"),
                                           primary_key=True, autoincrement=False)
    unit_kind: Mapped[str] = mapped_column(String(16))  # markaz | city | district | village
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    radius_km: Mapped[float | None] = mapped_column(Float)
    aliases: Mapped[str] = mapped_column(Text, default="")  # ";"-separated, any language
    categories: Mapped[str] = mapped_column(String(400), default="")  # ";"-separated codes


class PhotoHash(Base):
    """The perceptual hash of a stored photo (never the photo): the same pile shot twice matches."""

    __tablename__ = "photo_hashes"

    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"),
                                               primary_key=True, autoincrement=False)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    phash: Mapped[str] = mapped_column(String(16))  # 64-bit pHash as hex
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Cluster(Base):
    """Several reports of one problem merged into one work item; its lead case is routed and
    answered, and every member follows it (hotline.clusters)."""

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    category: Mapped[str | None] = mapped_column(String(32))
    governorate: Mapped[str | None] = mapped_column(String(32))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    reports: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DuplicateSuggestion(Base):
    """A likely duplicate found for a case, with the evidence an agent judges it by."""

    __tablename__ = "duplicate_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    same_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    text_score: Mapped[float] = mapped_column(Float, default=0.0)
    photo_distance: Mapped[int | None] = mapped_column(Integer)  # Hamming bits, best pair
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    dismissed_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("uq_duplicate_suggestions_pair", "case_id", "candidate_id", unique=True),)
