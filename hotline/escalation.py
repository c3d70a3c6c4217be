"""The escalation ladder of overdue cases (issue 18).

A case with an entity (routed or under review) past its due date is first reminded to that
entity, ``escalation_reminder_hours`` after the date; ``escalation_parent_hours`` after it (per
kind of entity: ``escalation_parent_hours_by_kind``), and never before its reminder, it goes up
to the entity above (local unit → governorate → ministry) with ``escalation_answer_days`` to
answer, and from the top to the call centre. Each step is a history row, an audit entry and a
``case.*`` event to the receiving entity's inbox. :func:`step` is idempotent: a case is locked,
looked at again and moved at most one step per call.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import case as when, select
from sqlalchemy.orm import Session

from hotline import audit, db, events, settings
from hotline.models import Case, CaseHistory, CaseStatus, Entity, utcnow
from hotline.reopening import above

log = logging.getLogger(__name__)
ACTOR = "escalation"
WITH_ENTITY = (CaseStatus.routed, CaseStatus.under_review)


def parent_hours(entity: Entity | None) -> int:
    """Hours past the due date before a case goes up from ``entity``."""
    conf = settings.get()
    kind = entity.kind.value if entity is not None else ""
    return conf.escalation_parent_hours_by_kind.get(kind, conf.escalation_parent_hours)


def candidates(session: Session, now: datetime | None = None) -> list[int]:
    """Ids of the cases whose reminder or escalation may be due now, most overdue first."""
    now = now or utcnow()
    reminder = now - timedelta(hours=settings.get().escalation_reminder_hours)
    return list(session.scalars(select(Case.id).where(
        Case.status.in_(WITH_ENTITY), Case.entity_id.is_not(None), Case.due_at <= reminder)
        .order_by(Case.due_at)))


def next_step(case: Case, entity: Entity | None, now: datetime) -> str | None:
    """"remind", "escalate" or None: what the ladder does to ``case`` now."""
    if case.status not in WITH_ENTITY or case.due_at is None or entity is None:
        return None
    conf = settings.get()
    late = now - case.due_at
    reminded = case.reminded_at is not None and case.reminded_at >= case.due_at
    if not reminded:
        return "remind" if late >= timedelta(hours=conf.escalation_reminder_hours) else None
    # The entity gets the reminder's whole lead time, even when the reminder itself was late.
    lead = timedelta(hours=parent_hours(entity) - conf.escalation_reminder_hours)
    if late >= timedelta(hours=parent_hours(entity)) and now - case.reminded_at >= lead:
        return "escalate"
    return None


def step(session: Session, case_id: int, now: datetime | None = None) -> str | None:
    """Apply the ladder's next step to one case (locked); returns what was done."""
    now = now or utcnow()
    stmt = select(Case).where(Case.id == case_id)
    if db.is_postgresql():
        stmt = stmt.with_for_update()  # waited for: another sweep moves it, this one sees that
    case = session.scalar(stmt)
    if case is None:
        return None
    entity = session.get(Entity, case.entity_id) if case.entity_id else None
    action = next_step(case, entity, now)
    if action == "remind":
        remind(session, case, entity, now)
    elif action == "escalate":
        escalate(session, case, entity, now)
    return action


def remind(session: Session, case: Case, entity: Entity, now: datetime) -> None:
    """Tell the entity its answer is past due (its inbox shows the case first, marked)."""
    case.reminded_at = now
    session.add(CaseHistory(case_id=case.id, actor=ACTOR, at=now, event="reminded",
                            to_entity_id=entity.id))
    _record(session, case, "case.reminded", entity, entity, now)


def escalate(session: Session, case: Case, entity: Entity, now: datetime) -> None:
    """Send the case up to the entity above (the centre at the top), with a new due date."""
    from hotline import cases as lifecycle

    target = above(entity)
    if target is None:
        lifecycle.change_status(session, case, CaseStatus.received, actor=ACTOR,
                                event="escalated_to_centre")
    else:
        lifecycle.route(session, case, target, actor=ACTOR, event="escalated")
    case.due_at = now + timedelta(days=settings.get().escalation_answer_days)
    _record(session, case, "case.escalated", entity, target, now)


def _record(session: Session, case: Case, action: str, entity: Entity, target: Entity | None,
            now: datetime) -> None:
    session.flush()
    detail = {"entity": entity.code, "to": target.code if target else "centre",
              "due_at": case.due_at.isoformat()}
    audit.record(session, action, actor=ACTOR, object_type="case", object_id=case.id,
                 case_id=case.id, detail=detail)
    events.publish_after_commit(session, events.Event(
        action, case_id=case.id, payload={"number": case.number, "entity_id": target.id if target else None,
                                          "from_entity_id": entity.id, **detail}))
    log.info("case %s: %s (%s -> %s)", case.number, action, entity.code, detail["to"])


MARKS = ("reminded", "escalated", "reopened", "reopened_to_parent")


def marks(session: Session, case_ids: list[int]) -> dict[int, str]:
    """The newest reminder, escalation or reopening of each case (an inbox marks the case with it)."""
    if not case_ids:
        return {}
    rows = session.execute(select(CaseHistory.case_id, CaseHistory.event).where(
        CaseHistory.case_id.in_(case_ids), CaseHistory.event.in_(MARKS)).order_by(CaseHistory.id))
    return {case_id: event for case_id, event in rows}


def overdue_first(stmt, now: datetime | None = None):
    """``stmt`` (over ``Case``) ordered with the cases past due that still await an answer
    first (the most overdue first), then newest first: the order of an entity's inbox."""
    now = now or utcnow()
    late = Case.status.in_(WITH_ENTITY) & (Case.due_at < now)
    return stmt.order_by(None).order_by(when((late, 0), else_=1), when((late, Case.due_at)),
                                        Case.created_at.desc(), Case.id.desc())
