"""The identity gate: what one viewer sees of a case, on every surface of the console.

The case page, the entity inbox, the JSON API, Open311 (JSON and XML), CSV exports, the
WhatsApp conversation page, the review page and the transcript JSON shape a case through
:func:`view` and nothing else. The rule is ``hotline.security.may_see_identity``; this module
gathers its grounds — the complainant's consent, the call (or work-queue claim) the viewer is
handling, a reason the viewer gave (``identity.revealed``, for ``identity_reveal_minutes``) —
and applies it to every field: where the identity is masked, so are the national IDs and phone
numbers typed or said into the description, address, notes, transcript and messages
(``hotline.redaction``). Every view of an unmasked identity is an audit entry.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_console import agents
from hotline import audit, redaction, security, settings
from hotline.models import AuditEntry, Call, Case, CaseHistory, Transcript, User, utcnow

REVEALED = "identity.revealed"
_CACHE = "gate.revealed"


def revealed(session: Session, viewer, case_id: int) -> bool:
    """True when ``viewer`` gave a reason to see this case's identity within the reveal window."""
    if getattr(viewer, "id", None) is None or not security.has_permission(viewer.role, "identity.reveal"):
        return False
    # One query per session (a request), however many cases it shows (a CSV of thousands).
    cache = session.info.setdefault(_CACHE, {})
    if viewer.id not in cache:
        since = utcnow() - timedelta(minutes=settings.get().identity_reveal_minutes)
        cache[viewer.id] = set(session.scalars(select(AuditEntry.case_id).where(
            AuditEntry.action == REVEALED, AuditEntry.user_id == viewer.id, AuditEntry.at >= since)))
    return case_id in cache[viewer.id]


def grounds(session: Session, viewer, case: Case) -> security.Grounds:
    """The grounds on which ``viewer`` might see ``case``'s identity."""
    person = case.complainant
    handling = (getattr(viewer, "id", None) is not None
                and security.has_permission(viewer.role, "identity.view")
                and agents.is_handling(session, viewer.id, case.id))
    return security.Grounds(consent=bool(person is not None and person.consent),
                            handling=handling, revealed=revealed(session, viewer, case.id))


@dataclass
class CaseView:
    """One case as one viewer may see it: identity, and free text redacted to match."""

    case: Case
    identity: dict[str, Any]
    viewer: Any = field(repr=False)

    @property
    def masked(self) -> bool:
        return bool(self.identity["masked"])

    def text(self, value: str | None) -> str:
        """Free text as this viewer may read it."""
        return redaction.redact(value) if self.masked else (value or "")

    @property
    def description(self) -> str:
        return self.text(self.case.description)

    @property
    def address(self) -> str:
        return self.text(self.case.address)

    @property
    def district(self) -> str:
        return self.text(self.case.district)

    def history(self) -> list[SimpleNamespace]:
        """The case's history rows (copies: the rows themselves stay untouched), their notes
        redacted as the text is."""
        columns = [c.key for c in CaseHistory.__table__.columns]
        return [SimpleNamespace(**{**{k: getattr(h, k) for k in columns},
                                   "note": self.text(h.note) if h.note else h.note})
                for h in self.case.history]

    def transcript(self, session: Session) -> dict | None:
        """The newest transcript as this viewer may read it, or None."""
        can_words = security.has_permission(self.viewer.role, "transcripts.view")
        if not can_words and not security.has_permission(self.viewer.role, "transcripts.view_redacted"):
            return None
        row = session.scalar(select(Transcript).where(Transcript.case_id == self.case.id)
                             .order_by(Transcript.id.desc()).limit(1))
        if row is None:
            return None
        words = (row.words or []) if can_words else []
        return {"id": row.id, "recording_id": row.recording_id, "text": self.text(row.text),
                "words": redaction.redact_words(words) if self.masked else words,
                "confidence": row.confidence, "suggested_category": row.suggested_category}


def view(session: Session, case: Case, viewer, *, audited: bool = True,
         channel: str | None = None) -> CaseView:
    """``case`` as ``viewer`` (a console Account, or an Open311 key) may see it; an unmasked
    identity is audited (``identity.viewed``) unless the caller audits the whole list itself."""
    person = case.complainant
    call = session.get(Call, case.call_id) if case.call_id else None
    basis = grounds(session, viewer, case)
    shown = security.identity_view(
        viewer.role, basis, name=person.name if person else None,
        phone=person.phone if person else None, national_id=person.national_id if person else None)
    caller = security.identity_view(viewer.role, basis, name=None,
                                    phone=call.caller if call else None, national_id=None)
    shown.update(caller=caller["phone"], consent=basis.consent,
                 basis="handling" if basis.handling else "revealed" if basis.revealed else
                 "consent" if not shown["masked"] else None)
    if audited and not shown["masked"] and (person or call):
        record_view(session, viewer, case, basis=shown["basis"], channel=channel)
    return CaseView(case, shown, viewer)


def record_view(session: Session, viewer, case: Case, *, basis: str | None,
                channel: str | None = None) -> None:
    """The audit entry of one unmasked view: who, which case, on what grounds, through what."""
    detail = {"basis": basis, **({"channel": channel} if channel else {})}
    user = session.get(User, viewer.id) if getattr(viewer, "id", None) is not None else None
    audit.record(session, "identity.viewed", user=user, actor=getattr(viewer, "actor", None),
                 object_type="case", object_id=case.id, case_id=case.id, detail=detail)


def reveal(session: Session, viewer, case: Case, reason: str) -> None:
    """``viewer`` asks to see this case's identity: the reason is audited, and for
    ``identity_reveal_minutes`` the gate shows it to them (and audits each view)."""
    audit.record(session, REVEALED, user=session.get(User, viewer.id), object_type="case",
                 object_id=case.id, case_id=case.id, reason=reason)
    session.info.pop(_CACHE, None)
