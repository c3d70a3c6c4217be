"""The full-text index of cases: normalised description + transcript text, one row per case.

Cases and transcripts written by other processes (IVR, WhatsApp, transcription workers) are
taken in by :func:`catch_up`, which follows two id watermarks, so every console process keeps
the index current without hearing every event.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_console.models import CaseSearch, SearchWatermark
from hotline.arabic import normalise
from hotline.redaction import redact
from hotline.models import Case, Transcript

BATCH = 500


def index_case(session: Session, case: Case) -> None:
    """(Re)write the search text of one case from its description and transcripts, with national
    IDs and phone numbers redacted: a search cannot tell whose complaint a case is."""
    texts = session.scalars(select(Transcript.text).where(Transcript.case_id == case.id)).all()
    body = " ".join(filter(None, [normalise(redact(text)) for text in (case.description, *texts)]
                           + [case.number]))
    row = session.get(CaseSearch, case.id)
    if row is None:
        session.add(CaseSearch(case_id=case.id, created_at=case.created_at, body=body))
    else:
        row.body = body


def catch_up(session: Session) -> int:
    """Index cases and transcripts newer than the watermarks; returns how many cases changed."""
    changed = 0
    for name, column, model in (("cases", Case.id, Case), ("transcripts", Transcript.id, Transcript)):
        top = session.scalar(select(func.max(column))) or 0
        done = session.scalar(select(SearchWatermark.last_id).where(SearchWatermark.name == name))
        if done is None:  # the migration makes both rows; an emptied table is refilled
            session.merge(SearchWatermark(name=name, last_id=0))
            session.flush()
        elif done >= top:
            continue
        # Lock the watermark so that two consoles catching up at once do not index twice.
        mark = session.get(SearchWatermark, name, with_for_update=True, populate_existing=True)
        while mark.last_id < top:
            upper = mark.last_id + BATCH
            if model is Case:
                batch = session.scalars(select(Case).where(Case.id > mark.last_id, Case.id <= upper))
            else:
                ids = select(Transcript.case_id).where(Transcript.id > mark.last_id,
                                                       Transcript.id <= upper)
                batch = session.scalars(select(Case).where(Case.id.in_(ids)))
            for case in batch:
                index_case(session, case)
                changed += 1
            mark.last_id = min(upper, top)
            session.flush()
    return changed
