"""Calls in the agent queue, kept in ``queue_calls`` from the events that tell of them.

The IVR says a caller was sent to the queue (``call.queued``); Asterisk's AMI says the caller
joined (``queue.caller_join``), was answered by an agent (``queue.agent_connect``, with the hold
time) or hung up waiting (``queue.caller_abandon``). Each console process records what it hears;
every write is idempotent (one row per channel, a time set once), so several consoles on one
Redis stream, or an event heard twice, count a call once. The wallboard's service level, average
speed of answer and abandoned calls are counted from these rows.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline import events
from hotline.models import Call, QueueCall

EVENTS = ("call.queued", "queue.caller_join", "queue.agent_connect", "queue.caller_abandon")


def record(session: Session, event: events.Event) -> QueueCall | None:
    """Apply one queue event to its row (made on first sight); None for an event without a channel."""
    if event.type not in EVENTS:
        return None
    at = datetime.fromisoformat(event.at)
    uniqueid = event.payload.get("uniqueid")
    if not uniqueid and event.call_id:
        uniqueid = session.scalar(select(Call.uniqueid).where(Call.id == event.call_id))
    if not uniqueid:
        return None
    row = _row(session, uniqueid, event.call_id, at)
    row.queue = row.queue or event.payload.get("queue")
    hold = event.payload.get("hold_time")
    if event.type == "queue.agent_connect" and row.answered_at is None and row.abandoned_at is None:
        row.answered_at, row.agent = at, event.payload.get("agent")
        row.hold_seconds = hold if hold is not None else _waited(row, at)
    elif event.type == "queue.caller_abandon" and row.answered_at is None and row.abandoned_at is None:
        row.abandoned_at = at
        row.hold_seconds = hold if hold is not None else _waited(row, at)
    session.flush()
    return row


def _row(session: Session, uniqueid: str, call_id: int | None, at: datetime) -> QueueCall:
    row = session.scalar(select(QueueCall).where(QueueCall.uniqueid == uniqueid))
    if row is None:
        try:
            with session.begin_nested():
                row = QueueCall(uniqueid=uniqueid, call_id=call_id, joined_at=at)
                session.add(row)
        except IntegrityError:  # another console made it first
            row = session.scalar(select(QueueCall).where(QueueCall.uniqueid == uniqueid))
    if call_id and row.call_id is None:
        row.call_id = call_id
    if at < row.joined_at:  # the IVR's call.queued and AMI's join, in whichever order they came
        row.joined_at = at
    return row


def _waited(row: QueueCall, at: datetime) -> int:
    return max(0, round((at - row.joined_at).total_seconds()))


def today(session: Session, since: datetime, threshold: int) -> dict:
    """Queue figures since ``since``: offered, answered, abandoned, service level, average speed of
    answer. Service level = answered within ``threshold`` s over calls that ended their wait
    (answered or abandoned); None while no call has."""
    rows = session.scalars(select(QueueCall).where(QueueCall.joined_at >= since)).all()
    answered = [r for r in rows if r.answered_at is not None]
    abandoned = [r for r in rows if r.abandoned_at is not None]
    fast = [r for r in answered if (r.hold_seconds or 0) <= threshold]
    settled = len(answered) + len(abandoned)
    return {
        "offered": len(rows), "answered": len(answered), "abandoned": len(abandoned),
        "answered_in_time": len(fast),
        "service_level": round(100 * len(fast) / settled) if settled else None,
        "asa": round(sum(r.hold_seconds or 0 for r in answered) / len(answered)) if answered else None,
    }


def waiting(session: Session, now: datetime, window: timedelta = timedelta(hours=2)) -> list[QueueCall]:
    """Calls in the queue now (joined in the last ``window``, neither answered nor abandoned)."""
    return list(session.scalars(select(QueueCall).where(
        QueueCall.joined_at >= now - window, QueueCall.answered_at.is_(None),
        QueueCall.abandoned_at.is_(None)).order_by(QueueCall.joined_at)))
