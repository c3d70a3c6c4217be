"""Agent states and the calls agents take: a disposition is required before an agent is free.

States follow a call-centre's day: available → on_call (took a call) → wrap_up (the call ended,
the case form is not done) → available once a disposition is given; paused with a reason.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_console import workqueue
from agent_console.models import STATES, AgentCall, AgentState
from hotline import cases as hotline_cases, events
from hotline.errors import ValidationError
from hotline.models import Call, Case, CaseStatus, User, utcnow

PAUSE_REASONS = ("break", "meeting", "training", "technical")
DISPOSITIONS = ("resolved_on_call", "case_routed", "information_given", "follow_up_given",
                "wrong_number", "caller_hung_up", "duplicate", "abusive")
# Calls that bring no complaint: the agent closes them without filling the case form.
NO_COMPLAINT = ("information_given", "follow_up_given", "wrong_number", "caller_hung_up", "abusive")


def state_of(session: Session, user_id: int) -> AgentState:
    """The agent's current state (paused until they first make themselves available)."""
    state = session.get(AgentState, user_id)
    if state is None:
        state = AgentState(user_id=user_id, state="paused", reason="signed_out", since=utcnow())
        session.add(state)
    return state


def set_state(session: Session, user_id: int, state: str, reason: str | None = None) -> AgentState:
    """Move an agent to ``state``; refuses 'available' while a taken call has no disposition."""
    if state not in STATES:
        raise ValidationError(f"unknown agent state {state!r}")
    if state == "paused" and reason not in PAUSE_REASONS:
        raise ValidationError("a pause needs a reason")
    if state == "available" and open_call(session, user_id) is not None:
        raise ValidationError("disposition required")
    row = state_of(session, user_id)
    row.state, row.reason, row.since = state, reason if state == "paused" else None, utcnow()
    session.flush()
    events.publish_after_commit(session, events.Event(
        "agent.state", payload={"user_id": user_id, "state": state, "reason": row.reason}))
    return row


def open_call(session: Session, user_id: int) -> AgentCall | None:
    """The call the agent took and has not yet closed with a disposition."""
    return session.scalar(select(AgentCall).where(AgentCall.user_id == user_id,
                                                  AgentCall.closed_at.is_(None)))


def take(session: Session, user: User, call: Call) -> Case:
    """The agent takes a call: its case (opened now if the IVR made none) pops on their screen."""
    holder = session.scalar(select(AgentCall).where(AgentCall.call_id == call.id))
    if holder is not None and holder.user_id != user.id:
        raise ValidationError("this call was taken by another agent")
    case = session.scalar(select(Case).where(Case.call_id == call.id))
    if case is None:
        case = hotline_cases.create_case(session, channel="ivr", actor=user.username,
                                         language=call.language or "ar", call=call)
    if holder is None:
        current = open_call(session, user.id)
        if current is not None:
            raise ValidationError("disposition required")
        session.add(AgentCall(user_id=user.id, call_id=call.id, case_id=case.id))
        set_state(session, user.id, "on_call")
    return case


def is_handling(session: Session, user_id: int, case_id: int) -> bool:
    """True while the agent is completing this case, on its call or from the work queue (for
    playing its recording)."""
    if session.scalar(select(AgentCall.id).where(
            AgentCall.user_id == user_id, AgentCall.case_id == case_id,
            AgentCall.closed_at.is_(None))) is not None:
        return True
    held = workqueue.holder(session, case_id)
    return held is not None and held.user_id == user_id


def call_on(session: Session, user_id: int, case_id: int) -> AgentCall | None:
    """The agent's open call on this case, if they are handling it on the phone."""
    return session.scalar(select(AgentCall).where(AgentCall.user_id == user_id,
                                                  AgentCall.case_id == case_id,
                                                  AgentCall.closed_at.is_(None)))


def note_disposition(session: Session, user_id: int, case_id: int, disposition: str | None) -> None:
    """Keep the disposition chosen so far on the open call (a Save does not lose it)."""
    row = call_on(session, user_id, case_id)
    if row is not None and (disposition in DISPOSITIONS or not disposition):
        row.disposition = disposition or None


def complete(session: Session, user_id: int, case_id: int, disposition: str) -> None:
    """Close the agent's call on this case with a disposition and make the agent available.

    The disposition must say what became of the case: "case routed" needs a routed case, and a
    call that brought no complaint (nothing written, no category) sets its empty case aside.
    """
    if disposition not in DISPOSITIONS:
        raise ValidationError("disposition required")
    row = call_on(session, user_id, case_id)
    if row is None:
        return
    case = session.get(Case, case_id)
    if disposition == "case_routed" and case.status != CaseStatus.routed:
        raise ValidationError("route the case first")
    if case.status == CaseStatus.received and disposition == "duplicate":
        hotline_cases.change_status(session, case, CaseStatus.duplicate, actor=_username(session, user_id),
                                    event="disposition")
    elif case.status == CaseStatus.received and not (case.description or case.category):
        hotline_cases.change_status(session, case, CaseStatus.rejected, actor=_username(session, user_id),
                                    event="no_complaint")
    row.disposition, row.closed_at = disposition, utcnow()
    session.flush()
    set_state(session, user_id, "available")


def _username(session: Session, user_id: int) -> str:
    return session.get(User, user_id).username


def wrap_up_on_hangup(session: Session, call_id: int) -> None:
    """When a taken call ends, its agent goes to wrap-up until the case has a disposition."""
    for row in session.scalars(select(AgentCall).where(AgentCall.call_id == call_id,
                                                       AgentCall.closed_at.is_(None))):
        if state_of(session, row.user_id).state == "on_call":
            set_state(session, row.user_id, "wrap_up")
