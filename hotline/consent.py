"""Consent is the citizen's word: who may record it, through which channel, and the trail it leaves.

Only the complainant's own channel sets it: the IVR key (``ivr``), the WhatsApp answer
(``whatsapp``), or what they say on their call to the agent handling it (``call``). Staff can
only *correct* a recorded answer (``correction``): with a reason, the old value kept in the
complainant's history (``consent_changes``), and an audit entry. Every change, whatever the
channel, leaves a history row (``Complainant.give_consent``).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from hotline import audit, security
from hotline.errors import ValidationError
from hotline.models import Case, Complainant, User

MIN_REASON = 10


def said_on_call(session: Session, case: Case, person: Complainant, value: bool, *, user: User) -> bool:
    """The citizen answered the agent handling their call; True when it changed anything.

    The caller must have checked that ``user`` is handling the case's call (the console does).
    An unanswered question left at "no" is not recorded as an answer.
    """
    answered = person.consent_at is not None
    if (answered and person.consent == value) or (not answered and not value):
        return False
    before = person.consent if answered else None
    person.give_consent(value, "call", actor=user.username, user_id=user.id, case_id=case.id)
    audit.record(session, "consent.recorded", user=user, object_type="case", object_id=case.id,
                 case_id=case.id, detail={"from": before, "to": value, "channel": "call"})
    return True


def correct(session: Session, case: Case, value: bool, *, user: User, reason: str) -> None:
    """A staff correction of the recorded consent: a reason, history and the audit trail."""
    if not security.has_permission(user.role, "consent.correct"):
        raise ValidationError("consent is the citizen's word: only a supervisor may correct it")
    reason = (reason or "").strip()
    if not MIN_REASON <= len(reason) <= 500:
        raise ValidationError(f"a consent correction needs a reason ({MIN_REASON} to 500 characters)")
    person = case.complainant
    if person is None:
        raise ValidationError("this case has no complainant to correct")
    before = person.consent if person.consent_at is not None else None
    person.give_consent(value, "correction", actor=user.username, user_id=user.id, reason=reason,
                        case_id=case.id)
    audit.record(session, "consent.corrected", user=user, object_type="case", object_id=case.id,
                 case_id=case.id, reason=reason, detail={"from": before, "to": value})
