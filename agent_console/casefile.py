"""What a console page shows of one case: its IVR path, recordings, and — through the identity
gate (agent_console/gate.py) — its identity and transcript as the viewer may see them."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_console import gate
from agent_console.accounts import Account
from hotline.models import Case, CallStep, Recording


def identity(session: Session, case: Case, viewer: Account, *, audited: bool = True) -> dict:
    """Complainant name/phone/national ID and the caller's number as ``viewer`` may see them
    (the identity gate, agent_console/gate.py; an unmasked view is audited)."""
    return gate.view(session, case, viewer, audited=audited).identity


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
    """The newest transcript as the viewer may read it (through the identity gate), or None."""
    return gate.view(session, case, viewer, audited=False).transcript(session)
