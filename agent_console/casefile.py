"""What a console page shows of one case, with identity masked as the viewer's role requires.

Every view of unmasked identity is written to the audit trail.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_console.accounts import Account
from hotline import audit, security
from hotline.models import Call, Case, CallStep, Recording, Transcript, User


def identity(session: Session, case: Case, viewer: Account, *, audited: bool = True) -> dict:
    """Complainant name/phone/national ID and the caller's number as ``viewer`` may see them."""
    person = case.complainant
    call = session.get(Call, case.call_id) if case.call_id else None
    shown = security.complainant_view(viewer.role, person)
    caller = security.identity_view(viewer.role, consent=shown["consent"], name=None,
                                    phone=call.caller if call else None, national_id=None)
    shown["caller"] = caller["phone"]
    if audited and not shown["masked"] and (person or call):
        audit.record(session, "identity.viewed", user=session.get(User, viewer.id),
                     object_type="case", object_id=case.id, case_id=case.id)
    return shown


def ivr_path(session: Session, case: Case) -> list[CallStep]:
    """The IVR steps the caller went through, in order."""
    if not case.call_id:
        return []
    return list(session.scalars(select(CallStep).where(CallStep.call_id == case.call_id)
                                .order_by(CallStep.seq)))


def recordings(session: Session, case: Case) -> list[Recording]:
    """The case's recordings, newest first."""
    return list(session.scalars(select(Recording).where(Recording.case_id == case.id)
                                .order_by(Recording.id.desc())))


def transcript(session: Session, case: Case, viewer: Account) -> dict | None:
    """The newest transcript as the viewer may read it (full or redacted), or None."""
    row = session.scalar(select(Transcript).where(Transcript.case_id == case.id)
                         .order_by(Transcript.id.desc()).limit(1))
    if row is None:
        return None
    if viewer.can("transcripts.view"):
        return {"id": row.id, "recording_id": row.recording_id, "text": row.text,
                "words": row.words or [], "confidence": row.confidence,
                "suggested_category": row.suggested_category}
    if viewer.can("transcripts.view_redacted"):
        return {"id": row.id, "recording_id": row.recording_id, "text": row.redacted_text,
                "words": [], "confidence": row.confidence,
                "suggested_category": row.suggested_category}
    return None
