"""Conversations a citizen left half-way: closed after ``whatsapp_session_minutes`` of silence.

Without this, a silent conversation was noticed only when the citizen wrote again. The sweeper
runs in every console process (``run_ivr.py console``) once a minute: it says the conversation
timed out and gives the kept case's number, as the conversation does when the citizen comes
back late. Meta lets a business write free-form only within 24 hours of the citizen's last
message, so an older conversation is closed without a word. Each conversation is closed under
its row lock (skipped when another console holds it, or when a message of the citizen waits to
be handled: the conversation handles the time-out itself then).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import exists, select

from hotline import db, periodic, settings
from hotline.models import utcnow
from agent_console.whatsapp import conversation, outbox
from agent_console.whatsapp.models import Conversation, Message
from agent_console.whatsapp.turn import Said, Turn

log = logging.getLogger(__name__)

INTERVAL = 60.0  # seconds between sweeps in a console process
REPLY_WINDOW = timedelta(hours=24)  # Meta's customer service window for free-form messages


def sweep(now: datetime | None = None) -> int:
    """Close every conversation silent past the session timeout; returns how many."""
    now = now or utcnow()
    since = now - timedelta(minutes=settings.get().whatsapp_session_minutes)
    with db.session_scope() as session:
        candidates = list(session.scalars(select(Conversation.id).where(
            Conversation.state.is_not(None), Conversation.last_inbound_at < since)))
    return sum(_close(conversation_id, now) for conversation_id in candidates)


def _close(conversation_id: int, now: datetime) -> bool:
    with db.session_scope() as session:
        query = select(Conversation).where(Conversation.id == conversation_id)
        if db.is_postgresql():
            query = query.with_for_update(skip_locked=True)
        found = session.scalar(query)
        if found is None or not conversation.silent(found, now) or session.scalar(select(exists().where(
                Message.conversation_id == conversation_id, Message.direction == "in",
                Message.status == "pending"))):
            return False
        turn = Turn(session, found, None, Said("ignored"))
        conversation.time_out(turn, tell=now - found.last_inbound_at < REPLY_WINDOW)
        sent = [outbox.queue(session, found, reply) for reply in turn.replies]
        session.flush()
        sent_ids = [message.id for message in sent]
    outbox.enqueue(sent_ids)
    log.info("WhatsApp conversation %s timed out (%d replies)", conversation_id, len(sent_ids))
    return True


def start() -> None:
    """Sweep every INTERVAL in this process, when this installation takes WhatsApp at all."""
    if settings.get().whatsapp_numbers:
        periodic.start(INTERVAL, sweep, "WhatsApp sweep")
