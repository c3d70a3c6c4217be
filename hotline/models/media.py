"""Recordings, their transcripts, and attachments (photos, voice notes) kept in the vault."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.models.base import Base, utcnow


class Recording(Base):
    """A recorded complaint, or an agent's call with the caller (``kind``): where it is, what it
    was, and who can decrypt it."""

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # complaint: the caller's message to the IVR; agent_call: the conversation with an agent,
    # recorded by Asterisk's queue (MixMonitor) for quality review.
    kind: Mapped[str] = mapped_column(String(16), default="complaint", server_default="complaint")
    agent_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), index=True)
    # spooled (plaintext waiting in the spool), stored (encrypted in the vault), pending
    # (encryption failed, retried by the sweeper), purged (deleted by retention).
    status: Mapped[str] = mapped_column(String(16), default="spooled", index=True)
    spool_path: Mapped[str | None] = mapped_column(String(500))
    vault_path: Mapped[str | None] = mapped_column(String(500))
    source_format: Mapped[str | None] = mapped_column(String(16))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    recipients: Mapped[list | None] = mapped_column(JSON)  # fingerprints of the age recipients
    # SHA-256 of the vault file's age header and payload nonce: playback seeks check it instead
    # of hashing the whole plaintext (recordings/agefile.py).
    header_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    purged_at: Mapped[datetime | None]

    transcript: Mapped["Transcript | None"] = relationship(back_populates="recording")


class Transcript(Base):
    """Vosk's text of a recording, with word timings; one per recording."""

    __tablename__ = "transcripts"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id"), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    # The text entity officers see: national IDs and phone numbers masked.
    redacted_text: Mapped[str] = mapped_column(Text, default="")
    # Normalised Arabic text for search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    words: Mapped[list | None] = mapped_column(JSON)  # [{"word", "start", "end", "conf"}]
    confidence: Mapped[float | None] = mapped_column(Float)
    duration: Mapped[float | None] = mapped_column(Float)
    decode_seconds: Mapped[float | None] = mapped_column(Float)
    real_time_factor: Mapped[float | None] = mapped_column(Float)
    model: Mapped[str | None] = mapped_column(String(200))
    suggested_category: Mapped[str | None] = mapped_column(String(32))
    suggestion_score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recording: Mapped[Recording] = relationship(back_populates="transcript")


class Attachment(Base):
    """A photo or voice note sent with a case (WhatsApp), encrypted in the vault."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # photo | voice | document
    media_type: Mapped[str] = mapped_column(String(64))
    vault_path: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    source_id: Mapped[str | None] = mapped_column(String(128), unique=True)  # e.g. WhatsApp media id
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
