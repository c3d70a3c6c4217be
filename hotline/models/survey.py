"""Asking the citizen whether an entity's answer solved their problem (issue 18)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base, utcnow


class Survey(Base):
    """One satisfaction question about one answer, on one channel (ivr, whatsapp or sms).

    States: ``due`` (to be asked at ``next_attempt_at``), ``asking`` (a call is up or a message
    went out; ``next_attempt_at`` is when silence counts as no answer), ``answered`` (``result``
    solved or not_solved), ``unanswered`` (attempts spent), ``cancelled`` (the case moved on
    otherwise). The citizen's words go into the case's history, not here; the number dialled or
    written to is the case's own (encrypted), no copy is kept.
    """

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)  # who answered
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2), default="ar")
    state: Mapped[str] = mapped_column(String(16), default="due", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    result: Mapped[str | None] = mapped_column(String(16))  # solved | not_solved
    answered_via: Mapped[str | None] = mapped_column(String(16))  # the channel the answer came on
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))  # the survey call answered
    recording_id: Mapped[int | None] = mapped_column(ForeignKey("recordings.id"))  # a voice comment
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    # Every attempt: {"at", "channel", "result"} (sent, answered, busy, no answer, hung up, ...).
    history: Mapped[list] = mapped_column(JSON, default=list)
