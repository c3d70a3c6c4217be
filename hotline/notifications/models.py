"""Delivery of one notification to one citizen: queued, sent, or failed with the reason."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models import Base, utcnow

STATES = ("queued", "sent", "failed")


class Notification(Base):
    """A message about a case's new status; ``state`` shows on the case (migration 0004)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # the case status it announces
    channel: Mapped[str] = mapped_column(String(16))  # sms | whatsapp | log
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(Text)  # the last failure, as the gateway said it
    provider_id: Mapped[str | None] = mapped_column(String(128))  # the gateway's message id
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]
