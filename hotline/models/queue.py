"""Calls in Asterisk's agent queue: joined, answered or abandoned (the wallboard's call figures)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class QueueCall(Base):
    """One caller's wait in the agent queue, as AMI's QueueCallerJoin / AgentConnect /
    QueueCallerAbandon (or the IVR's own ``call.queued``) told it."""

    __tablename__ = "queue_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    uniqueid: Mapped[str] = mapped_column(String(64), unique=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"), index=True)
    queue: Mapped[str | None] = mapped_column(String(64))
    joined_at: Mapped[datetime] = mapped_column(index=True)
    answered_at: Mapped[datetime | None]
    abandoned_at: Mapped[datetime | None]
    hold_seconds: Mapped[int | None] = mapped_column(Integer)
    agent: Mapped[str | None] = mapped_column(String(32))  # the answering agent's extension
