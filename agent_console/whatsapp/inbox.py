"""Taking a webhook delivery in: store each new message once, then let a job handle it.

WhatsApp redelivers a message until it gets a 200, so the message id is unique in the table:
a second delivery finds the row and is skipped. Storing is all the request does; the
conversation runs in the background so Meta's webhook gets its answer at once.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline import jobs, pii
from hotline.models import utcnow
from agent_console.whatsapp import outbox
from agent_console.whatsapp.models import Conversation, Message
from agent_console.whatsapp.payload import Inbound, StatusUpdate

PROCESS_JOB = "agent_console.whatsapp.jobs.process"


def conversation_for(session: Session, inbound: Inbound) -> Conversation:
    """The citizen's conversation with this business number, made on first contact."""
    phone_hash = pii.lookup_hash("phone", inbound.wa_id)
    query = select(Conversation).where(Conversation.phone_hash == phone_hash,
                                       Conversation.business_number == inbound.business_number)
    conversation = session.scalar(query)
    if conversation is None:
        conversation = Conversation(business_number=inbound.business_number, data={})
        conversation.phone = inbound.wa_id
        conversation.wa_id = inbound.wa_id
        try:
            with session.begin_nested():
                session.add(conversation)
        except IntegrityError:  # the same citizen's other message, stored at the same moment
            conversation = session.scalar(query)
    if inbound.phone_number_id:
        conversation.phone_number_id = inbound.phone_number_id
    return conversation


def _sent_at(message: dict) -> datetime:
    try:
        return datetime.fromtimestamp(int(message["timestamp"]), tz=timezone.utc)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return utcnow()


def store(session: Session, messages: list[Inbound], statuses: list[StatusUpdate]) -> list[tuple[int, int]]:
    """Store new messages and apply statuses; returns (conversation id, message id) to process."""
    stored = []
    for inbound in messages:
        if session.scalar(select(Message.id).where(Message.wa_message_id == inbound.wa_message_id)):
            continue
        conversation = conversation_for(session, inbound)
        row = Message(conversation_id=conversation.id, case_id=conversation.case_id, direction="in",
                      wa_message_id=inbound.wa_message_id, kind=inbound.kind[:16], body="",
                      status="pending", payload=inbound.message, created_at=_sent_at(inbound.message))
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # redelivered while the first delivery was being stored
            continue
        stored.append((conversation.id, row.id))
    for update in statuses:
        outbox.record_status(session, update.wa_message_id, update.status, update.error)
    return stored


def enqueue(stored: list[tuple[int, int]]) -> None:
    """Start processing (after commit); one job per message, each drains its conversation in order."""
    for conversation_id, message_id in stored:
        jobs.enqueue(PROCESS_JOB, conversation_id, job_id=f"wa-process-{message_id}")
