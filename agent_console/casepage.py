"""What the case page shows beside the form: the call's clock, the caller's earlier complaints,
the entity's answers, the IVR path in words, and whether the case waits for a transcript."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from agent_console import agents, casefile, ivrpath, workqueue
from hotline import pii
from hotline.models import Call, Case, Complainant, Entity, Recording, Response, User

EARLIER = 10


@dataclass
class Answer:
    """An entity's answer as agents and supervisors read it before the next follow-up call."""

    at: datetime
    entity: Entity | None
    author: str
    text: str


def answers(session: Session, case: Case) -> list[Answer]:
    """The entity's answers to this case, oldest first, with who wrote them."""
    rows = session.execute(select(Response, Entity, User)
                           .outerjoin(Entity, Entity.id == Response.entity_id)
                           .outerjoin(User, User.id == Response.user_id)
                           .where(Response.case_id == case.id).order_by(Response.id)).all()
    return [Answer(r.created_at, entity, (user.display_name or user.username) if user else "—", r.body)
            for r, entity, user in rows]


def caller_number(session: Session, case: Case) -> str | None:
    """The number the citizen called from (the case's call), for pre-filling the form."""
    call = session.get(Call, case.call_id) if case.call_id else None
    return call.caller if call is not None else None


def earlier_complaints(session: Session, case: Case) -> list[Case]:
    """This caller's other complaints, newest first: same phone on the case or the call."""
    phone = (case.complainant.phone if case.complainant else None) or caller_number(session, case)
    if not phone:
        return []
    digest = pii.lookup_hash("phone", pii.normalise("phone", phone))
    return list(session.scalars(
        select(Case).outerjoin(Complainant, Complainant.id == Case.complainant_id)
        .outerjoin(Call, Call.id == Case.call_id)
        .where(or_(Complainant.phone_hash == digest, Call.caller_hash == digest), Case.id != case.id)
        .order_by(Case.created_at.desc()).limit(EARLIER)))


def timer_start(session: Session, user_id: int, case: Case) -> datetime | None:
    """When the agent took the call on this case (the call timer counts from there)."""
    row = agents.call_on(session, user_id, case.id)
    return row.taken_at if row is not None else None


def waits_for_transcript(session: Session, case: Case) -> bool:
    """True when a recording exists and its transcript has not come yet."""
    return session.scalar(select(Recording.id).where(Recording.case_id == case.id).limit(1)) is not None


def context(session: Session, case: Case, viewer) -> dict:
    """Everything beyond the form the case page shows ``viewer``."""
    claim = workqueue.holder(session, case.id)
    return {
        "answers": answers(session, case),
        "earlier": earlier_complaints(session, case) if viewer.can("cases.view") else [],
        "timer_from": timer_start(session, viewer.id, case),
        "claim": claim, "claimed_by": session.get(User, claim.user_id) if claim else None,
        "path": [(step, ivrpath.describe(step)) for step in casefile.ivr_path(session, case)],
        "has_recording": waits_for_transcript(session, case),
    }
