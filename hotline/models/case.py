"""Cases, their history of status changes, and entities' responses."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.models.base import Base, utcnow
from hotline.models.complainant import Complainant
from hotline.models.entity import Entity


class CaseStatus(str, enum.Enum):
    received = "received"
    under_review = "under_review"
    routed = "routed"
    answered = "answered"
    closed = "closed"
    rejected = "rejected"
    duplicate = "duplicate"


class Case(Base):
    """A complaint, from intake (IVR, WhatsApp, console) to its answer."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[CaseStatus] = mapped_column(
        Enum(CaseStatus, native_enum=False, length=16), default=CaseStatus.received, index=True)
    channel: Mapped[str] = mapped_column(String(16), default="ivr")  # ivr | whatsapp | console
    channel_detail: Mapped[str | None] = mapped_column(String(64))  # e.g. the WhatsApp number
    language: Mapped[str] = mapped_column(String(2), default="ar")
    category: Mapped[str | None] = mapped_column(String(32), index=True)
    governorate: Mapped[str | None] = mapped_column(String(32), index=True)
    district: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("complainants.id"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), index=True)
    # A hang-up before the caller confirmed: the case keeps what was said, an agent completes it.
    incomplete: Mapped[bool] = mapped_column(Boolean, default=False)
    recording_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    # When the entity was last reminded that the answer is past due (hotline.escalation): a
    # reminder before the current due date belongs to an earlier one (migration 0014).
    reminded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    complainant: Mapped[Complainant | None] = relationship()
    entity: Mapped[Entity | None] = relationship()
    history: Mapped[list["CaseHistory"]] = relationship(
        back_populates="case", order_by="CaseHistory.id", cascade="all, delete-orphan")
    responses: Mapped[list["Response"]] = relationship(back_populates="case", order_by="Response.id")

    def __repr__(self) -> str:
        return f"<Case {self.number} {self.status.value}>"


class CaseHistory(Base):
    """One change of a case: status, entity or a note; who, when, from, to."""

    __tablename__ = "case_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(64))  # username, or a system actor such as "ivr"
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    from_entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))
    to_entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))
    note: Mapped[str | None] = mapped_column(Text)
    # What the row records beyond a status, as a code shown in the reader's language
    # (agent_console.labels.HISTORY_EVENT): auto_routed, acknowledged, declined, ...
    event: Mapped[str | None] = mapped_column(String(32))

    case: Mapped[Case] = relationship(back_populates="history")


class Response(Base):
    """An entity's answer to a case, as the citizen will receive it."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The case's due date when this answer came: on time or late, whatever the date becomes
    # after a reopening or an escalation (migration 0015).
    due_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(back_populates="responses")


class ComplaintCounter(Base):
    """The last sequence number given out in a year (complaint numbers restart each year)."""

    __tablename__ = "complaint_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
