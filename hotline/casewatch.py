"""Keeps every case's place, duplicate suggestions and cluster in step, whoever changed the case.

Cases are created and changed in many places (the IVR, WhatsApp, Open311, the console, the
entity inbox, the transcription worker). Rather than each of them remembering to call us, a
flush notes which cases changed in a way that matters here, and just before the transaction
commits, ``hotline.places.refresh`` and ``hotline.duplicates.suggest`` run for those cases and
a cluster's members follow its lead: all in the same transaction as the change itself, each case
in a savepoint, so a failure here is logged and never costs the complaint.
"""
from __future__ import annotations

import logging

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from hotline.models import Case, PhotoHash, Transcript

log = logging.getLogger(__name__)

WATCHED = ("latitude", "longitude", "address", "district", "description", "category",
           "governorate", "status", "entity_id")
FOLLOWED = ("status", "entity_id")  # a lead's changes its cluster's members follow
_DIRTY, _LEADS, _BUSY = "casewatch.dirty", "casewatch.leads", "casewatch.busy"


@event.listens_for(Session, "after_flush")
def _note(session: Session, _context) -> None:
    dirty: set[int] = session.info.setdefault(_DIRTY, set())
    leads: set[int] = session.info.setdefault(_LEADS, set())
    for obj in session.new:
        if isinstance(obj, Case):
            dirty.add(obj.id)
        elif isinstance(obj, (Transcript, PhotoHash)) and obj.case_id:
            dirty.add(obj.case_id)
    for obj in session.dirty:
        if isinstance(obj, Case):
            state = inspect(obj)
            changed = [name for name in WATCHED if state.attrs[name].history.has_changes()]
            if changed:
                dirty.add(obj.id)
            if any(name in FOLLOWED for name in changed):
                leads.add(obj.id)


@event.listens_for(Session, "before_commit")
def _apply(session: Session) -> None:
    if session.info.get(_BUSY):
        return
    if session.new or session.dirty:
        session.flush()  # the commit would flush them next; _note must see them first
    if not session.info.get(_DIRTY):
        return
    from hotline import clusters, duplicates, places

    session.info[_BUSY] = True
    done: set[int] = set()
    try:
        while session.info[_DIRTY] - done:
            todo = sorted(session.info[_DIRTY] - done)
            done.update(todo)
            leads = session.info[_LEADS] & set(todo)
            for case_id in todo:
                case = session.get(Case, case_id)
                if case is None:
                    continue
                try:
                    # A savepoint each: should the search fail, the complaint is saved all the same.
                    with session.begin_nested():
                        place = places.refresh(session, case)
                        session.flush()
                        duplicates.suggest(session, place)
                        if case_id in leads:
                            clusters.follow(session, case)
                except Exception:  # noqa: BLE001 - logged; the case's own change still commits
                    log.exception("case %s: place and duplicates not updated", case_id)
            session.flush()
    finally:
        session.info[_BUSY] = False
        session.info.pop(_DIRTY, None)
        session.info.pop(_LEADS, None)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if not session.info.get(_BUSY):
        session.info.pop(_DIRTY, None)
        session.info.pop(_LEADS, None)
