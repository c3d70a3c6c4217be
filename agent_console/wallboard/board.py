"""The wallboard's figures: calls in the IVR, queue, longest wait, agents, cases, SLA breaches."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_console import livestate, search
from agent_console.models import AgentState
from hotline.models import Case, User, utcnow


def figures(session: Session) -> dict:
    """Everything the wallboard shows, computed now from the database and event history."""
    now = utcnow()
    live = livestate.snapshot(session)
    waits = [(now - datetime.fromisoformat(q["since"])).total_seconds() for q in live["queue"]]
    agents = dict(session.execute(
        select(AgentState.state, func.count()).join(User, User.id == AgentState.user_id)
        .where(User.active.is_(True)).group_by(AgentState.state)).all())
    statuses = {status.value if hasattr(status, "value") else status: count
                for status, count in session.execute(
                    select(Case.status, func.count()).group_by(Case.status)).all()}
    breached = session.scalar(select(func.count()).select_from(Case).where(
        Case.due_at < now, Case.status.in_(search.OPEN)))
    return {"in_ivr": len(live["calls"]), "waiting": len(live["queue"]),
            "longest_wait": int(max(waits, default=0)), "agents": agents, "cases": statuses,
            "sla_breached": breached or 0, "at": now.isoformat()}
