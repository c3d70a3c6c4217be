"""Reopening: the citizen says the answer did not solve it (issue 18).

The case goes back, with the citizen's words, to the entity that answered; from the
``reopen_to_parent_from``-th reopening on, to the entity above it (local unit → governorate →
ministry), and with none above, to the call centre. The entity gets a fresh due date. Each
reopening is a history row (event reopened, reopened_to_parent or reopened_to_centre) and an
audit entry, and the receiving entity's inbox hears of it live.
"""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline import audit, clusters, events, reference, settings
from hotline.models import Case, CaseHistory, CaseStatus, Entity, Response, utcnow

ACTOR = "citizen"
EVENTS = ("reopened", "reopened_to_parent", "reopened_to_centre")
_CITIZEN = SimpleNamespace(username=ACTOR, id=None)  # who takes a reopened case out of its work item


def times_reopened(session: Session, case_id: int) -> int:
    """How many times the citizen has reopened this case."""
    return session.scalar(select(func.count()).select_from(CaseHistory).where(
        CaseHistory.case_id == case_id, CaseHistory.event.in_(EVENTS))) or 0


def answered_by(session: Session, case: Case) -> Entity | None:
    """The entity whose answer the citizen refused: the newest answer's, else the case's."""
    entity_id = session.scalar(select(Response.entity_id).where(Response.case_id == case.id)
                               .order_by(Response.id.desc()).limit(1)) or case.entity_id
    return session.get(Entity, entity_id) if entity_id else None


def above(entity: Entity | None) -> Entity | None:
    """The nearest active entity above ``entity`` (None: the call centre)."""
    parent = entity.parent if entity is not None else None
    while parent is not None and not parent.active:
        parent = parent.parent
    return parent


def reopen(session: Session, case: Case, *, words: str | None, via: str) -> CaseHistory:
    """Send an answered case back (see the module docstring); returns its history row."""
    from hotline import cases as lifecycle

    count = times_reopened(session, case.id) + 1
    answerer = answered_by(session, case)
    up = count >= settings.get().reopen_to_parent_from
    target = above(answerer) if up else answerer
    note = (words or "").strip() or None
    _leave_work_item(session, case)
    if target is None:
        entry = lifecycle.change_status(session, case, CaseStatus.received, actor=ACTOR, note=note,
                                        event="reopened_to_centre")
    else:
        entry = lifecycle.route(session, case, target, actor=ACTOR, note=note,
                                event="reopened_to_parent" if up else "reopened")
    known = reference.category(case.category) if case.category else None
    days = known.sla_days if known else settings.get().sla_default_days
    case.due_at, case.reminded_at = utcnow() + timedelta(days=days), None
    session.flush()
    detail = {"time": count, "via": via, "from": answerer.code if answerer else None,
              "to": target.code if target else "centre"}
    audit.record(session, "case.reopened", actor=ACTOR, object_type="case", object_id=case.id,
                 case_id=case.id, detail=detail)
    events.publish_after_commit(session, events.Event(
        "case.reopened", case_id=case.id,
        payload={"number": case.number, "entity_id": target.id if target else None,
                 "event": entry.event, **detail}))
    return entry


def _leave_work_item(session: Session, case: Case) -> None:
    """A reopened report no longer shares its work item's answer: it is handled alone (the
    inbox shows only a work item's lead)."""
    cluster = clusters.cluster_of(session, case.id)
    if cluster is not None and cluster.lead_case_id != case.id:
        clusters.detach(session, case, user=_CITIZEN)
