"""The back-office work queue: received complaints no agent is working, most urgent first.

An IVR or WhatsApp complaint the routing rules could not route with certainty, one an entity sent
back, one whose caller hung up: it stays ``received`` until an agent takes it from here
(:func:`take_next`), completes and routes it. A claim keeps two agents off the same complaint;
it ends when the case leaves ``received``, when the agent releases it, or after
``work_claim_minutes`` (the agent went home).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_console.models import AgentCall, WorkClaim
from agent_console.whatsapp.models import Conversation
from hotline import settings
from hotline.models import Case, CaseStatus, User, utcnow


def stale_before(now: datetime | None = None) -> datetime:
    """Claims made before this moment have lapsed."""
    return (now or utcnow()) - timedelta(minutes=settings.get().work_claim_minutes)


def _waiting(now: datetime):
    """Received cases no agent holds: not on a call, not freshly claimed, no WhatsApp dialogue
    still filling them in; the most urgent (earliest due, then oldest) first."""
    on_call = exists().where(AgentCall.case_id == Case.id, AgentCall.closed_at.is_(None))
    claimed = exists().where(WorkClaim.case_id == Case.id, WorkClaim.claimed_at >= stale_before(now))
    chatting = exists().where(Conversation.case_id == Case.id, Conversation.state.is_not(None))
    return (select(Case).where(Case.status == CaseStatus.received, ~on_call, ~claimed, ~chatting)
            .order_by(Case.due_at.is_(None), Case.due_at, Case.created_at, Case.id))


def waiting(session: Session, limit: int = 50) -> list[Case]:
    """The next ``limit`` complaints of the work queue, in the order agents take them."""
    return list(session.scalars(_waiting(utcnow()).limit(limit)))


def count(session: Session) -> int:
    """How many complaints wait in the work queue."""
    return session.scalar(select(func.count()).select_from(_waiting(utcnow()).order_by(None).subquery()))


def take_next(session: Session, user: User) -> Case | None:
    """Claim the most urgent waiting complaint for ``user``; None when the queue is empty.

    Two agents pressing "next" at once get two different complaints: the claim's primary key
    lets one insert win, and the other moves on to the next candidate.
    """
    for case in session.scalars(_waiting(utcnow()).limit(10)).all():
        if claim(session, user, case):
            return case
    return None


def claim(session: Session, user: User, case: Case) -> bool:
    """Claim ``case`` for ``user`` (taking over a lapsed claim); False when someone holds it."""
    now = utcnow()
    held = session.get(WorkClaim, case.id)
    if held is None:
        try:
            with session.begin_nested():
                session.add(WorkClaim(case_id=case.id, user_id=user.id, claimed_at=now))
        except IntegrityError:  # another agent's claim won
            return False
        return True
    if held.user_id == user.id:
        held.claimed_at = now
        return True
    if held.claimed_at >= stale_before(now):
        return False
    taken = session.execute(  # only if nobody renewed or took it meanwhile
        update(WorkClaim).where(WorkClaim.case_id == case.id, WorkClaim.user_id == held.user_id,
                                WorkClaim.claimed_at == held.claimed_at)
        .values(user_id=user.id, claimed_at=now).execution_options(synchronize_session=False))
    session.expire(held)
    return taken.rowcount == 1


def holder(session: Session, case_id: int) -> WorkClaim | None:
    """The live claim on a case, if any."""
    held = session.get(WorkClaim, case_id)
    return held if held is not None and held.claimed_at >= stale_before() else None


def release(session: Session, case_id: int, user_id: int | None = None) -> None:
    """End the claim on a case (only ``user_id``'s, when given)."""
    stmt = delete(WorkClaim).where(WorkClaim.case_id == case_id)
    if user_id is not None:
        stmt = stmt.where(WorkClaim.user_id == user_id)
    session.execute(stmt)


def settle(session: Session, case: Case) -> None:
    """After a save: a case that left ``received`` is nobody's back-office work any more."""
    if case.status != CaseStatus.received:
        release(session, case.id)


def mine(session: Session, user_id: int) -> list[Case]:
    """The complaints this agent has claimed and not finished."""
    return list(session.scalars(
        select(Case).join(WorkClaim, WorkClaim.case_id == Case.id)
        .where(WorkClaim.user_id == user_id, WorkClaim.claimed_at >= stale_before(),
               Case.status == CaseStatus.received)
        .order_by(WorkClaim.claimed_at)))
