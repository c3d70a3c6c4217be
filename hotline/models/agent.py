"""Where each agent is now: shared by the console (which sets it) and the AMI bridge (which makes
Asterisk's queue follow it: QueueAdd, QueuePause)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base, utcnow

STATES = ("available", "on_call", "wrap_up", "paused")


class AgentState(Base):
    """Where an agent is now: available, on a call, in wrap-up or paused (with a reason)."""

    __tablename__ = "agent_states"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True,
                                         autoincrement=False)
    state: Mapped[str] = mapped_column(String(16), default="paused", index=True)
    reason: Mapped[str | None] = mapped_column(String(64))
    since: Mapped[datetime] = mapped_column(default=utcnow)
