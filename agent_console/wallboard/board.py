"""The wallboard's figures, from the database (calls, queue calls, agents, cases) and the event
history (calls in the queue now): what every contact-centre wallboard shows, counted since local
midnight."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_console import livestate, workqueue
from agent_console.models import AgentCall, AgentState
from hotline import callqueue, security, settings
from hotline.cases import AWAITING
from hotline.models import Call, Case, User, utcnow


def midnight(now: datetime) -> datetime:
    """The start of today in the hotline's time zone."""
    zone = ZoneInfo(settings.get().timezone)
    return datetime.combine(now.astimezone(zone).date(), time(), zone)


def figures(session: Session) -> dict:
    """Everything the wallboard shows, computed now."""
    now = utcnow()
    since = midnight(now)
    live = livestate.snapshot(session)
    waits = [(now - datetime.fromisoformat(q["since"])).total_seconds() for q in live["queue"]]
    queue = callqueue.today(session, since, settings.get().service_level_seconds)
    statuses = {status.value if hasattr(status, "value") else status: count
                for status, count in session.execute(
                    select(Case.status, func.count()).group_by(Case.status)).all()}
    overdue = session.scalar(select(func.count()).select_from(Case).where(
        Case.due_at < now, Case.status.in_(AWAITING)))
    people = agents(session, now)
    return {"in_ivr": len(live["calls"]), "waiting": len(live["queue"]),
            "longest_wait": int(max(waits, default=0)), **queue,
            "service_level_seconds": settings.get().service_level_seconds,
            "aht": handle_time(session, since), "per_hour": per_hour(session, since),
            "agents": {state: sum(1 for a in people if a["state"] == state) for state in
                       ("available", "on_call", "wrap_up", "paused")},
            "people": people, "cases": statuses, "sla_breached": overdue or 0,
            "work_queue": workqueue.count(session), "at": now.isoformat()}


def handle_time(session: Session, since: datetime) -> int | None:
    """Average handle time of calls closed today, seconds (talk and wrap-up until disposition)."""
    rows = session.execute(select(AgentCall.taken_at, AgentCall.closed_at).where(
        AgentCall.closed_at >= since, AgentCall.call_id.is_not(None))).all()
    if not rows:
        return None
    return round(sum((closed - taken).total_seconds() for taken, closed in rows) / len(rows))


def per_hour(session: Session, since: datetime) -> list[int]:
    """Calls that reached the IVR in each local hour of today (24 counts)."""
    zone = ZoneInfo(settings.get().timezone)
    counts = [0] * 24
    for (started,) in session.execute(select(Call.started_at).where(Call.started_at >= since)):
        counts[started.astimezone(zone).hour] += 1
    return counts


def agents(session: Session, now: datetime) -> list[dict]:
    """Every active agent with their state, pause reason and seconds in that state."""
    roles = [role for role, perms in security.ROLES.items() if "calls.take" in perms]
    rows = session.execute(select(User, AgentState).outerjoin(AgentState, AgentState.user_id == User.id)
                           .where(User.active.is_(True), User.role.in_(roles))
                           .order_by(User.display_name, User.username)).all()
    return [{"id": user.id, "name": user.display_name or user.username, "extension": user.extension,
             "state": state.state if state else "paused",
             "reason": state.reason if state else "signed_out",
             "since": (state.since if state else user.created_at).isoformat(),
             "seconds": int((now - (state.since if state else now)).total_seconds())}
            for user, state in rows]
