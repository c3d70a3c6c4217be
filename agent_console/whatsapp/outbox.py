"""Replies going out: stored first, then sent by a background job with retries and back-off.

A reply is a row before it is a request, so a Cloud API outage loses no reply and never rolls
back the case it announces; the job queue retries transient failures (``hotline.jobs``), and a
reply Meta refuses for good is marked failed with the reason for an agent to see.
"""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from hotline import db, jobs
from hotline.jobs import RETRY_INTERVALS
from hotline.models import User, utcnow
from agent_console.whatsapp import graph
from agent_console.whatsapp.models import Conversation, Message
from agent_console.whatsapp.replies import Reply

log = logging.getLogger(__name__)

SEND_JOB = "agent_console.whatsapp.outbox.send"
ATTEMPTS = 1 + len(RETRY_INTERVALS)
_ORDER = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}


def queue(session: Session, conversation: Conversation, reply: Reply,
          user: User | None = None) -> Message:
    """Store a reply to send; call :func:`enqueue` with it once the transaction has committed."""
    message = Message(conversation=conversation, case_id=conversation.case_id, direction="out",
                      kind=reply.kind, body=reply.text, status="queued", payload=reply.body(),
                      user_id=user.id if user is not None else None, created_at=utcnow())
    session.add(message)
    return message


def enqueue(message_ids: list[int]) -> None:
    """Hand stored replies to the job queue (after commit, so the job finds them)."""
    for message_id in message_ids:
        jobs.enqueue(SEND_JOB, message_id, job_id=f"wa-send-{message_id}")


def send(message_id: int) -> None:
    """Job: send one stored reply; raises on a transient failure so that the queue retries."""
    failure: graph.GraphError | None = None
    with db.session_scope() as session:
        message = session.get(Message, message_id)
        if message is None or message.status != "queued":
            return  # already sent (a retried job), or given up
        conversation = message.conversation
        message.attempts += 1
        try:
            message.wa_message_id = graph.send(conversation.phone_number_id, conversation.wa_id,
                                               message.payload)
            message.status, message.sent_at, message.error = "sent", utcnow(), None
        except graph.GraphError as exc:
            message.error = str(exc)
            if not exc.transient or message.attempts >= ATTEMPTS:
                message.status = "failed"
                log.error("WhatsApp reply %s failed for good: %s", message_id, exc)
            else:
                failure = exc
    if failure is not None:
        raise failure


def record_status(session: Session, wa_message_id: str, status: str, error: str | None) -> None:
    """Apply Meta's delivery status to a reply we sent; statuses only move forward."""
    message = session.query(Message).filter_by(wa_message_id=wa_message_id, direction="out").first()
    if message is None:
        return
    if status == "failed":
        message.status, message.error = "failed", error or message.error
    elif _ORDER.get(status, -1) > _ORDER.get(message.status, 99):
        message.status = status
