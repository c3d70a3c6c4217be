"""The WhatsApp tables: one conversation per citizen and business number, and every message.

They live on the shared ``Base.metadata`` (migration 0003_whatsapp). The citizen's number is
encrypted at rest like every phone number; message bodies are kept with ID and phone digit runs
masked, and an inbound message's raw payload is kept only until it has been processed.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.models import Base, utcnow
from hotline.models.base import PII


class Conversation(Base):
    """Where one citizen is in the dialogue with one business number."""

    __tablename__ = "whatsapp_conversations"
    __table_args__ = (UniqueConstraint("phone_hash", "business_number", name="uq_whatsapp_conversations_phone_business"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # The citizen's WhatsApp id ("201012345678"), encrypted: replies are addressed to it.
    wa_id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    business_number: Mapped[str] = mapped_column(String(16))
    phone_number_id: Mapped[str] = mapped_column(String(32), default="")
    language: Mapped[str] = mapped_column(String(2), default="ar")
    # None: idle (the next message gets the greeting); otherwise a step of conversation.STEPS.
    state: Mapped[str | None] = mapped_column(String(24))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    last_inbound_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    messages: Mapped[list["Message"]] = relationship(back_populates="conversation",
                                                     order_by="Message.id")

    phone = PII("phone")
    wa_id = PII("wa_id", hashed=False)


class Message(Base):
    """One message in or out; inbound ones are processed in order, outbound ones sent with retries."""

    __tablename__ = "whatsapp_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("whatsapp_conversations.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    # Meta's message id ("wamid..."): unique, so a redelivered webhook is processed once.
    wa_message_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # text, image, audio, location, interactive, ...
    body: Mapped[str] = mapped_column(Text, default="")
    # in: pending → processed | failed; out: queued → sent → delivered → read, or failed.
    status: Mapped[str] = mapped_column(String(16), index=True)
    payload: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # an agent's reply
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
