"""A caller who chose to be called back instead of waiting in the agent queue."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base, utcnow


class Callback(Base):
    """One callback: asked for from the queue, dialled by the AMI bridge when an agent is free.

    ``waiting_since`` is when the caller joined the queue, so a callback keeps the caller's place:
    the oldest is dialled first. States: waiting, calling, connected, failed (attempts spent).
    The number is the call's own (``Call.caller``, encrypted); no copy is kept here.
    """

    __tablename__ = "callbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    language: Mapped[str] = mapped_column(String(2), default="ar")
    waiting_since: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Every attempt: {"at", "result"} (answered, busy, no answer, failed: Asterisk's reason).
    history: Mapped[list] = mapped_column(JSON, default=list)
