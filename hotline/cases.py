"""Case lifecycle, complaint numbers and routing: the one place these rules live."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hotline import events, reference, satisfaction, settings, verhoeff
from hotline.errors import ValidationError
from hotline.notifications import dispatch as notify
from hotline.models import (Call, Case, CaseHistory, CaseStatus, Complainant, ComplaintCounter,
                            Entity, RoutingRule, User, utcnow)

S = CaseStatus
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.received: frozenset({S.under_review, S.routed, S.rejected, S.duplicate}),
    S.under_review: frozenset({S.routed, S.answered, S.received, S.rejected, S.duplicate}),
    # routed → received: the entity declined or asked the call centre for more information.
    S.routed: frozenset({S.under_review, S.answered, S.received, S.routed}),
    # answered → routed / received: the citizen said it is not solved (hotline.reopening).
    S.answered: frozenset({S.closed, S.routed, S.under_review, S.received}),
    S.closed: frozenset(),
    S.rejected: frozenset({S.received}),
    S.duplicate: frozenset({S.received}),
}


# --- complaint numbers ----------------------------------------------------------------------

def next_number(session: Session, year: int | None = None) -> str:
    """A new complaint number: 2-digit year + zero-padded yearly sequence + Verhoeff digit.

    The counter row is updated inside the caller's transaction, so concurrent callers queue on
    the row lock and a rolled-back case gives its number back.
    """
    year = year or datetime.now(ZoneInfo(settings.get().timezone)).year
    _ensure_counter(session, year)
    seq = session.execute(
        update(ComplaintCounter).where(ComplaintCounter.year == year)
        .values(last=ComplaintCounter.last + 1).returning(ComplaintCounter.last)).scalar_one()
    body = f"{year % 100:02d}{seq:0{settings.get().complaint_sequence_digits}d}"
    return body + verhoeff.check_digit(body)


def _ensure_counter(session: Session, year: int) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(ComplaintCounter).values(year=year, last=0)
                    .on_conflict_do_nothing(index_elements=["year"]))


def is_valid_number(text: str) -> bool:
    """True for a well-formed complaint number with a correct check digit."""
    minimum = 2 + settings.get().complaint_sequence_digits + 1
    return len(text) >= minimum and verhoeff.is_valid(text)


def find_by_number(session: Session, number: str) -> Case | None:
    """The case with this complaint number, or None (also for a malformed number)."""
    if not is_valid_number(number):
        return None
    return session.scalar(select(Case).where(Case.number == number))


# --- routing --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Routing:
    """Where the rules send a category × governorate, and whether that is certain enough to route
    with no agent: a rule written for this very category, the governorate known, the entity active."""

    entity: Entity
    certain: bool
    rule: RoutingRule | None = None


def routing(session: Session, category: str | None, governorate: str | None) -> Routing:
    """The entity routing.yaml names for this category and governorate (most specific rule wins;
    a rule whose entity is disabled is passed over)."""
    category, governorate = category or reference.ANY, governorate or reference.ANY
    candidates = [(category, governorate), (category, reference.ANY),
                  (reference.ANY, governorate), (reference.ANY, reference.ANY)]
    rules = {(r.category, r.governorate): r for r in session.scalars(
        select(RoutingRule).where(RoutingRule.category.in_({category, reference.ANY}),
                                  RoutingRule.governorate.in_({governorate, reference.ANY})))}
    known = reference.ANY not in (category, governorate)
    for key in candidates:
        rule = rules.get(key)
        if rule is None:
            continue
        entity = rule.entity
        if rule.to_governorate:
            entity = None if governorate == reference.ANY else session.scalar(
                select(Entity).where(Entity.governorate == governorate))
        if entity is not None and entity.active:
            return Routing(entity, known and rule.category != reference.ANY, rule)
    fallback = session.scalar(select(Entity).where(Entity.code == reference.fallback_entity_code()))
    return Routing(fallback, False)


def suggest_entity(session: Session, category: str | None, governorate: str | None) -> Entity:
    """The entity the routing rules name for this category and governorate."""
    return routing(session, category, governorate).entity


def route_if_certain(session: Session, case: Case, *, actor: str = "routing") -> bool:
    """Route a complete, newly received case by the rules when they are certain (history says so);
    False leaves it received, in the agents' work queue."""
    if case.status != S.received or case.incomplete:
        return False
    found = routing(session, case.category, case.governorate)
    if not found.certain:
        return False
    route(session, case, found.entity, actor=actor, event="auto_routed")
    return True


# --- service level (due dates) ---------------------------------------------------------------

def due_date(case: Case) -> datetime:
    """When the answer is due: the category's sla_days after the complaint was received (the
    default for a case whose category is not known yet)."""
    known = reference.category(case.category) if case.category else None
    days = known.sla_days if known else settings.get().sla_default_days
    return (case.created_at or utcnow()) + timedelta(days=days)


# Statuses in which the call centre or the entity still owes the citizen an answer.
AWAITING = (S.received, S.under_review, S.routed)


def is_overdue(case: Case, now: datetime | None = None) -> bool:
    """True when the answer is past due and none has been given yet."""
    return case.due_at is not None and case.due_at < (now or utcnow()) and case.status in AWAITING


def refresh_due(case: Case) -> None:
    """Set the case's due date from its category (after the category is set or changed)."""
    case.due_at = due_date(case)


# --- lifecycle ------------------------------------------------------------------------------

def create_case(session: Session, *, channel: str, actor: str, language: str = "ar",
                category: str | None = None, governorate: str | None = None,
                description: str | None = None, complainant: Complainant | None = None,
                call: Call | None = None, incomplete: bool = False,
                channel_detail: str | None = None) -> Case:
    """Open a case with a new complaint number and its first history row, and announce it."""
    if category is not None and reference.category(category) is None:
        raise ValidationError(f"unknown category {category!r}")
    if governorate is not None and reference.governorate(governorate) is None:
        raise ValidationError(f"unknown governorate {governorate!r}")
    now = utcnow()
    case = Case(number=next_number(session), status=S.received, channel=channel,
                channel_detail=channel_detail, language=language, category=category,
                governorate=governorate, description=description, complainant=complainant,
                call_id=call.id if call is not None else None, incomplete=incomplete,
                created_at=now, updated_at=now)
    refresh_due(case)
    session.add(case)
    session.flush()
    session.add(CaseHistory(case_id=case.id, actor=actor, to_status=S.received.value, at=now,
                            event="incomplete" if incomplete else None))
    session.flush()
    events.publish_after_commit(session, events.Event(
        "case.created", case_id=case.id, call_id=case.call_id,
        payload={"number": case.number, "channel": channel, "category": category,
                 "governorate": governorate, "incomplete": incomplete}))
    return case


def change_status(session: Session, case: Case, to: CaseStatus, *, actor: str,
                  user: User | None = None, note: str | None = None,
                  event: str | None = None) -> CaseHistory:
    """Move a case to a new status if the lifecycle allows it; records history and an event."""
    to = CaseStatus(to)
    if to not in TRANSITIONS[case.status]:
        raise ValidationError(f"case {case.number}: cannot go from {case.status.value} to {to.value}")
    entry = _move(session, case, to, actor=actor, user=user, note=note, event=event)
    events.publish_after_commit(session, events.Event(
        "case.status_changed", case_id=case.id,
        payload={"number": case.number, "from": entry.from_status, "to": to.value,
                 "entity_id": case.entity_id}))
    notify.queue(session, case, to.value)  # the citizen hears of an answer or closure
    satisfaction.on_status(session, case, to)  # ... and is asked whether the answer solved it
    return entry


def route(session: Session, case: Case, entity: Entity, *, actor: str, user: User | None = None,
          note: str | None = None, event: str | None = None) -> CaseHistory:
    """Send a case to an entity (again, if it was routed before); the history keeps every hop."""
    if S.routed not in TRANSITIONS[case.status]:
        raise ValidationError(f"case {case.number}: cannot be routed while {case.status.value}")
    if case.due_at is None:  # a case from before every case had one
        refresh_due(case)
    entry = _move(session, case, S.routed, actor=actor, user=user, note=note, entity=entity,
                  event=event)
    events.publish_after_commit(session, events.Event(
        "case.routed", case_id=case.id,
        payload={"number": case.number, "entity_id": entity.id, "entity": entity.code,
                 "from_entity_id": entry.from_entity_id}))
    satisfaction.on_status(session, case, S.routed)
    return entry


def _move(session: Session, case: Case, to: CaseStatus, *, actor: str, user: User | None,
          note: str | None, entity: Entity | None = None, event: str | None = None) -> CaseHistory:
    """Apply a status (and entity) change and write its history row."""
    entry = CaseHistory(case_id=case.id, actor=actor, user_id=user.id if user else None,
                        from_status=case.status.value, to_status=to.value, note=note, event=event)
    if entity is not None:
        entry.from_entity_id, entry.to_entity_id = case.entity_id, entity.id
        case.entity_id = entity.id
    case.status = to
    session.add(entry)
    session.flush()
    return entry


from hotline import casewatch  # noqa: E402,F401  places, duplicates and clusters follow every case change
