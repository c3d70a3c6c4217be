"""Turning what the caller said into a case with its recording: on confirmation or at hang-up.

With the database down the complaint is journaled (``ivr.replay``) and the caller is told of a
technical problem instead of a number; the case is made when the journal is replayed.
"""
from __future__ import annotations

import logging
from pathlib import Path

from hotline import cases, db, journal
from hotline.errors import ValidationError
from hotline.models import Call, Complainant, Recording
from ivr import handoff

log = logging.getLogger(__name__)
WAV_HEADER = 44


class ComplaintJournaled(Exception):
    """The database was down: the complaint is in the journal, with no number yet."""


def recording_file(call) -> Path | None:
    """The file Asterisk wrote for the last take, if it holds any audio."""
    base, fmt = call.complaint.recording, call.complaint.recording_format
    if base is None:
        return None
    path = base.with_name(f"{base.name}.{'WAV' if fmt == 'wav49' else fmt}")
    return path if path.is_file() and path.stat().st_size > WAV_HEADER else None


def discard_take(call) -> None:
    """Delete the last take: the caller chose to record again, and no take may outlive its call
    in plaintext (a superseded take is never handed to the vault)."""
    base = call.complaint.recording
    if base is None:
        return
    for path in base.parent.glob(f"{base.name}.*"):
        try:
            path.unlink()
        except OSError as exc:
            log.warning("call %s: superseded take %s not removed: %s", call.uniqueid, path.name, exc)


def save(call, *, incomplete: bool, hand_over_now: bool = True) -> str:
    """Commit the case (and its recording row), hand the recording over (or, with
    ``hand_over_now`` false, leave that to :func:`hand_over_saved`); returns the number."""
    complaint = call.complaint
    spooled = recording_file(call)
    if call.pending_complaint is not None:
        raise ComplaintJournaled(call.uniqueid)
    recording_id = None
    try:
        if not call.offline:
            with db.session_scope() as session:
                case, recording_id = store(session, session.get(Call, call.call_id), call.caller,
                                           call.language, complaint, spooled, incomplete)
                complaint.case_id, complaint.case_number = case.id, case.number
    except journal.DATABASE_DOWN as exc:
        log.warning("call %s: database unavailable, complaint journaled: %s", call.uniqueid, exc)
        call.offline = True
    if call.offline:
        call.pending_complaint = {"incomplete": incomplete, "spooled": str(spooled) if spooled else None}
        call.journal()  # now, not at the call's end: this process may not live that long
        raise ComplaintJournaled(call.uniqueid)
    complaint.extra["recording_id"] = recording_id
    if hand_over_now:
        hand_over_saved(call)
    return complaint.case_number


def hand_over_saved(call) -> None:
    """Hand the saved complaint's recording to the vault and transcription (once)."""
    recording_id = call.complaint.extra.pop("recording_id", None)
    if recording_id is not None:
        hand_over(recording_id)


def store(session, call_row: Call | None, caller: str, language: str, complaint, spooled: Path | None,
          incomplete: bool):
    """Add the complainant, the case and its recording row; returns (case, recording id or None)."""
    complainant = Complainant()
    try:
        complainant.phone = caller or None
    except ValidationError:  # a withheld or odd caller ID is not a phone number
        complainant.phone = None
    complainant.national_id = complaint.national_id
    if complaint.consent is not None:
        complainant.give_consent(complaint.consent, "ivr")
    session.add(complainant)
    case = cases.create_case(
        session, channel="ivr", actor="ivr", language=language,
        category=complaint.category, governorate=complaint.governorate,
        complainant=complainant, call=call_row, incomplete=incomplete)
    cases.route_if_certain(session, case)  # else it waits in the agents' work queue (issue 15)
    if spooled is None:
        return case, None
    recording = Recording(case_id=case.id, call_id=call_row.id if call_row else None, status="spooled",
                          spool_path=str(spooled), source_format=complaint.recording_format)
    session.add(recording)
    session.flush()
    return case, recording.id


def hand_over(recording_id: int) -> None:
    """Hand a committed recording to the vault, then queue its transcription."""
    # A transaction of its own: encrypting may take a moment and must not hold the case's.
    try:
        with db.session_scope() as session:
            handoff.accept(session, session.get(Recording, recording_id))
    except Exception:
        log.exception("recording %s stays in the spool", recording_id)
    handoff.transcribe(recording_id)
