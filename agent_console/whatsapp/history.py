"""What the console shows of a case's WhatsApp conversation: messages in order, and its photos."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.models import Attachment, Case
from agent_console.whatsapp.models import Conversation, Message


def conversations(session: Session, case: Case) -> list[Conversation]:
    """The conversations that produced or discussed ``case``."""
    ids = select(Message.conversation_id).where(Message.case_id == case.id).distinct()
    return list(session.scalars(select(Conversation).where(
        (Conversation.id.in_(ids)) | (Conversation.case_id == case.id)).order_by(Conversation.id)))


def latest_conversation(session: Session, case: Case) -> Conversation | None:
    """The conversation an agent's reply goes to (the most recent one of the case)."""
    found = conversations(session, case)
    return found[-1] if found else None


def for_case(session: Session, case: Case) -> list[Message]:
    """Every message of the case's conversations, oldest first (the greeting included)."""
    ids = [c.id for c in conversations(session, case)]
    if not ids:
        return []
    return list(session.scalars(select(Message).where(Message.conversation_id.in_(ids))
                                .order_by(Message.created_at, Message.id)))


def photos(session: Session, case: Case) -> list[Attachment]:
    """The case's stored photos, in the order they came."""
    return list(session.scalars(select(Attachment).where(
        Attachment.case_id == case.id, Attachment.kind == "photo").order_by(Attachment.id)))


def attachment(session: Session, attachment_id: int) -> Attachment | None:
    return session.get(Attachment, attachment_id)
