"""Cases for the closing-the-loop tests: a complaint routed to a local unit, answered by it."""
from __future__ import annotations

import itertools

from sqlalchemy import select

from hotline import audit, cases, db, users
from hotline.models import AuditEntry, Call, Case, CaseHistory, Complainant, Entity, Response, Survey

PASSWORD = "correct horse battery"  # as tests/console signs in
PHONE, NID, NAME = "01012345678", "29001011234567", "سعاد محمد"
_calls = itertools.count(1)
UNIT, GOVERNORATE = "lu-cairo-heliopolis", "gov-cairo"  # a local unit and the governorate above it


def entity(session, code: str) -> Entity:
    return session.scalar(select(Entity).where(Entity.code == code))


def officers() -> dict[str, int]:
    """An officer of the local unit and one of its governorate."""
    with db.session_scope() as session:
        return {name: users.create_user(session, username=name, password=PASSWORD, role="entity_officer",
                                        entity_code=code).id
                for name, code in (("unit_officer", UNIT), ("governorate_officer", GOVERNORATE))}


def routed_case(*, channel: str = "ivr", to: str = UNIT, phone: str | None = PHONE,
                consent: bool = False, language: str = "ar", category: str = "garbage") -> int:
    """A complaint of ``channel`` routed to ``to``; its id."""
    with db.session_scope() as session:
        person = Complainant(name=NAME, national_id=NID)
        person.phone = phone
        person.give_consent(consent, channel)
        call = None
        if channel == "ivr":
            call = Call(uniqueid=f"loop-{next(_calls)}", caller=phone)
            session.add(call)
            session.flush()
        case = cases.create_case(session, channel=channel, actor=channel, category=category,
                                 governorate="cairo", description="القمامة متراكمة أمام بيتي",
                                 complainant=person, call=call, language=language)
        cases.route(session, case, entity(session, to), actor="agent1")
        return case.id


def answer(case_id: int, officer: str = "unit_officer", text: str = "تم رفع القمامة.") -> None:
    """The entity's officer answers through the inbox action (the one the console runs)."""
    from agent_console.inbox import actions
    from hotline.models import User

    with db.session_scope() as session:
        user = session.scalar(select(User).where(User.username == officer))
        actions.answer(session, session.get(Case, case_id), user, text)


def case_row(case_id: int) -> Case:
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        session.expunge(case)
        return case


def history(case_id: int) -> list[tuple]:
    """(actor, from, to, event, to entity code, note) of every history row."""
    with db.session_scope() as session:
        codes = dict(session.execute(select(Entity.id, Entity.code)).all())
        rows = session.scalars(select(CaseHistory).where(CaseHistory.case_id == case_id)
                               .order_by(CaseHistory.id))
        return [(h.actor, h.from_status, h.to_status, h.event, codes.get(h.to_entity_id), h.note)
                for h in rows]


def audits(case_id: int) -> list[tuple[str, str, dict]]:
    """(action, actor, detail) of the case's audit entries; the chain still verifies."""
    with db.session_scope() as session:
        assert audit.verify(session).ok
        return [(e.action, e.actor, e.detail or {}) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id))]


def answers_of(case_id: int) -> list[str]:
    with db.session_scope() as session:
        return list(session.scalars(select(Response.body).where(Response.case_id == case_id)))



def surveys(case_id: int | None = None) -> list[Survey]:
    """The case's surveys (every survey with None), oldest first."""
    with db.session_scope() as session:
        stmt = select(Survey).order_by(Survey.id)
        rows = list(session.scalars(stmt if case_id is None else stmt.where(Survey.case_id == case_id)))
        session.expunge_all()
        return rows


def latest_survey(case_id: int) -> Survey:
    return surveys(case_id)[-1]
