"""What an entity may do with a case routed to it; each is a status change (history + event)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from hotline import cases as lifecycle
from hotline.errors import ValidationError
from hotline.models import Case, CaseStatus, Response, User

S = CaseStatus


def acknowledge(session: Session, case: Case, user: User, _text: str = "") -> None:
    """The entity has the case and is looking into it."""
    lifecycle.change_status(session, case, S.under_review, actor=user.username, user=user,
                            event="acknowledged")


def answer(session: Session, case: Case, user: User, text: str) -> None:
    """The entity's answer: kept as a Response (what the citizen is sent) and the case answered."""
    if case.status not in (S.routed, S.under_review):
        raise ValidationError(f"case {case.number}: cannot go from {case.status.value} to answered")
    session.add(Response(case_id=case.id, entity_id=user.entity_id, user_id=user.id, body=text.strip()))
    session.flush()
    lifecycle.change_status(session, case, S.answered, actor=user.username, user=user)


def ask_more(session: Session, case: Case, user: User, text: str) -> None:
    """Back to the call centre, which asks the citizen for what the note says is missing."""
    lifecycle.change_status(session, case, S.received, actor=user.username, user=user,
                            note=text.strip(), event="more_info")


def decline(session: Session, case: Case, user: User, text: str) -> None:
    """Not this entity's case: back to the call centre to be routed again, with the reason."""
    lifecycle.change_status(session, case, S.received, actor=user.username, user=user,
                            note=text.strip(), event="declined")


# name → (function, needs a text, statuses it applies to)
ACTIONS = {
    "acknowledge": (acknowledge, False, (S.routed,)),
    "answer": (answer, True, (S.routed, S.under_review)),
    "more-info": (ask_more, True, (S.routed, S.under_review)),
    "decline": (decline, True, (S.routed, S.under_review)),
}
