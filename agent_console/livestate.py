"""The live picture a (re)connecting console starts from: calls in the IVR and calls queued.

Built from the database (calls, steps, calls taken) and the event history
(``hotline.events.recent()``: the Redis stream when configured), so a refresh or a console
restart loses nothing.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_console.models import AgentCall
from hotline import events
from hotline.models import Call, CallStep, Case, utcnow

IVR_WINDOW = timedelta(hours=4)  # a call "in the IVR" longer than this was lost by Asterisk
QUEUE_WINDOW = timedelta(hours=2)
LEFT_QUEUE = {"queue.agent_connect", "queue.caller_abandon"}


def snapshot(session: Session) -> dict:
    """Calls in the IVR (with their last step) and queued calls (with their waiting time)."""
    now = utcnow()
    in_ivr = session.scalars(
        select(Call).where(Call.ended_at.is_(None), Call.started_at > now - IVR_WINDOW,
                           (Call.outcome.is_(None)) | (Call.outcome != "queued"))
        .order_by(Call.started_at)).all()
    return {"calls": [_call(session, call) for call in in_ivr],
            "queue": queued(session, now), "now": now.isoformat()}


def _call(session: Session, call: Call) -> dict:
    last = session.scalar(select(CallStep).where(CallStep.call_id == call.id)
                          .order_by(CallStep.seq.desc()).limit(1))
    return {"call_id": call.id, "uniqueid": call.uniqueid, "language": call.language,
            "started_at": call.started_at.isoformat(), "mode": call.mode,
            "step": last.step if last else None, "seq": last.seq if last else 0}


def queued(session: Session, now: datetime | None = None) -> list[dict]:
    """Calls that left the IVR for the agent queue and were neither answered nor abandoned."""
    now = now or utcnow()
    recent = events.recent(1000)
    gone_ids = {e.get("call_id") for e in recent if e["type"] in LEFT_QUEUE}
    gone_uids = {e["payload"].get("uniqueid") for e in recent if e["type"] in LEFT_QUEUE}
    queued_at = {e.get("call_id"): e["at"] for e in recent if e["type"] == "call.queued"}
    taken = select(AgentCall.call_id).where(AgentCall.call_id.is_not(None))
    rows = session.execute(
        select(Call, Case).outerjoin(Case, Case.call_id == Call.id)
        .where(Call.outcome == "queued", Call.started_at > now - QUEUE_WINDOW,
               Call.id.not_in(taken))
        .order_by(Call.started_at)).all()
    result = []
    for call, case in rows:
        if call.id in gone_ids or call.uniqueid in gone_uids:
            continue
        since = queued_at.get(call.id) or (call.ended_at or call.started_at).isoformat()
        result.append({"call_id": call.id, "uniqueid": call.uniqueid, "since": since,
                       "case_id": case.id if case else None,
                       "category": case.category if case else None, "language": call.language})
    return result
