"""Turning what the caller said into a case with its recording: on confirmation or at hang-up."""
from __future__ import annotations

import logging
from pathlib import Path

from hotline import cases, db
from hotline.errors import ValidationError
from hotline.models import Call, Complainant, Recording
from ivr import handoff

log = logging.getLogger(__name__)
WAV_HEADER = 44


def recording_file(call) -> Path | None:
    """The file Asterisk wrote for the last take, if it holds any audio."""
    base, fmt = call.complaint.recording, call.complaint.recording_format
    if base is None:
        return None
    path = base.with_name(f"{base.name}.{'WAV' if fmt == 'wav49' else fmt}")
    return path if path.is_file() and path.stat().st_size > WAV_HEADER else None


def save(call, *, incomplete: bool) -> str:
    """Commit the case (and its recording row), hand the recording over; returns the number."""
    complaint = call.complaint
    spooled = recording_file(call)
    with db.session_scope() as session:
        complainant = Complainant()
        try:
            complainant.phone = call.caller or None
        except ValidationError:  # a withheld or odd caller ID is not a phone number
            complainant.phone = None
        complainant.national_id = complaint.national_id
        if complaint.consent is not None:
            complainant.give_consent(complaint.consent, "ivr")
        session.add(complainant)
        case = cases.create_case(
            session, channel="ivr", actor="ivr", language=call.language,
            category=complaint.category, governorate=complaint.governorate,
            complainant=complainant, call=session.get(Call, call.call_id), incomplete=incomplete)
        recording = None
        if spooled is not None:
            recording = Recording(case_id=case.id, call_id=call.call_id, status="spooled",
                                  spool_path=str(spooled), source_format=complaint.recording_format)
            session.add(recording)
            session.flush()
        complaint.case_id, complaint.case_number = case.id, case.number
        recording_id = recording.id if recording is not None else None
    if recording_id is not None:
        _hand_over(recording_id)
    return complaint.case_number


def _hand_over(recording_id: int) -> None:
    # A transaction of its own: encrypting may take a moment and must not hold the case's.
    try:
        with db.session_scope() as session:
            handoff.accept(session, session.get(Recording, recording_id))
    except Exception:
        log.exception("recording %s stays in the spool", recording_id)
    handoff.transcribe(recording_id)
