"""A call into the IVR and every step it took."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.models.base import PII, Base, utcnow


class Call(Base):
    """One call as Asterisk handed it to the IVR (classic AGI or FastAGI)."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    uniqueid: Mapped[str] = mapped_column(String(64), unique=True)  # agi_uniqueid
    channel: Mapped[str] = mapped_column(String(128), default="")
    mode: Mapped[str] = mapped_column(String(16), default="agi")  # agi | fastagi | simulated
    caller_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    caller_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    language: Mapped[str | None] = mapped_column(String(2))
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None]
    hung_up: Mapped[bool] = mapped_column(Boolean, default=False)
    # How the call left the IVR: completed, hangup, queued, error.
    outcome: Mapped[str | None] = mapped_column(String(16))

    steps: Mapped[list["CallStep"]] = relationship(
        back_populates="call", order_by="CallStep.seq", cascade="all, delete-orphan")

    caller = PII("phone")


class CallStep(Base):
    """One IVR step: which prompt was played, what the caller entered, and what came of it."""

    __tablename__ = "call_steps"
    __table_args__ = (UniqueConstraint("call_id", "seq", name="call_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(64))
    prompt: Mapped[str | None] = mapped_column(String(64))
    # Keypad input, already masked where it is personal (a national ID is never stored here in full).
    input: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship(back_populates="steps")
