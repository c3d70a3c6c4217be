"""Background processing of inbound WhatsApp messages, one conversation at a time, in order.

Each job drains its conversation: it takes the oldest pending message under a row lock, runs one
conversation step in one transaction with the replies it causes, and commits before it sends.
A step that fails (the Graph API is down while fetching a photo) rolls back and is retried by
the queue; after ``MAX_ATTEMPTS`` the message is marked failed, the citizen is told, and an
agent finds the message (its payload kept) in the conversation history.
"""
from __future__ import annotations

import logging

from sqlalchemy import select

from hotline import db, jobs
from agent_console.whatsapp import conversation, graph, outbox, replies, texts
from agent_console.whatsapp.models import Conversation, Message
from agent_console.whatsapp.turn import Turn, said

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def _next_pending(session, conversation_id: int) -> Message | None:
    locked = select(Conversation).where(Conversation.id == conversation_id)
    if db.is_postgresql():
        locked = locked.with_for_update()
    if session.scalar(locked) is None:
        return None
    return session.scalar(select(Message).where(
        Message.conversation_id == conversation_id, Message.direction == "in",
        Message.status == "pending").order_by(Message.created_at, Message.id).limit(1))


def process(conversation_id: int) -> None:
    """Job: handle every pending inbound message of a conversation, oldest first."""
    while _process_one(conversation_id):
        pass


def _process_one(conversation_id: int) -> bool:
    with db.session_scope() as session:
        message = _next_pending(session, conversation_id)
        if message is None:
            return False
        message.attempts += 1
        message_id, attempts = message.id, message.attempts
    try:
        with db.session_scope() as session:
            message = _next_pending(session, conversation_id)
            if message is None or message.id != message_id:
                return True  # another worker got there first
            turn = Turn(session, message.conversation, message, said(message.kind, message.payload or {}))
            step = turn.conversation.state
            conversation.handle(turn)
            _finish(turn, step)
            sent = [outbox.queue(session, turn.conversation, reply) for reply in turn.replies]
            session.flush()
            sent_ids = [m.id for m in sent]
        _after_commit(turn.jobs, sent_ids)
        return True
    except graph.GraphError as exc:
        if exc.transient and attempts < MAX_ATTEMPTS:
            raise
        _give_up(message_id, str(exc))
        return True
    except Exception as exc:
        if attempts < MAX_ATTEMPTS:
            raise
        log.exception("WhatsApp message %s could not be processed", message_id)
        _give_up(message_id, f"{type(exc).__name__}: {exc}")
        return True


def _finish(turn: Turn, step: str | None) -> None:
    """Mark an inbound message processed, keeping only what the history may show of it."""
    message = turn.message
    message.body = conversation.history_text(turn.said, step)
    message.status = "processed"
    message.case_id = message.case_id or turn.conversation.case_id
    # Typed text and captions may be personal: only a media id stays, for a second fetch.
    said_ = turn.said
    message.payload = {said_.kind: {"id": said_.media_id, "mime_type": said_.mime}} \
        if said_.kind in ("image", "document", "audio") else None


def _give_up(message_id: int, error: str) -> None:
    with db.session_scope() as session:
        message = session.get(Message, message_id)
        if message is None or message.status != "pending":
            return
        message.status, message.error = "failed", error
        reply = replies.text(texts.say("failed", message.conversation.language))
        sent = outbox.queue(session, message.conversation, reply)
        session.flush()
        sent_id = sent.id
    _after_commit([], [sent_id])


def _after_commit(job_list: list[tuple[str, tuple, str]], sent_ids: list[int]) -> None:
    for func, args, job_id in job_list:
        jobs.enqueue(func, *args, job_id=job_id)
    outbox.enqueue(sent_ids)
