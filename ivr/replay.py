"""A call the database could not take: journaled during the call, replayed when the database is back.

One journal entry kind, ``ivr.call``, keyed by the call's uniqueid and idempotent: replaying an
entry twice finds the Call row, the steps (by sequence number) and the case (by call) already there.
The caller's phone and national ID are sealed with the PII key, as they are in the database.
"""
from __future__ import annotations

import base64
import logging
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from hotline import db, journal, pii
from hotline.models import Call, CallStep, Case, Recording, Transcript

log = logging.getLogger(__name__)
KIND = "ivr.call"


def _seal(field: str, value: str | None) -> str | None:
    return base64.b64encode(pii.encrypt(field, value)).decode() if value else None


def _open(field: str, sealed: str | None) -> str | None:
    return pii.decrypt(field, base64.b64decode(sealed)) if sealed else None


def journal_call(call, **end) -> None:
    """Spool what ``call`` could not save: its row, unsaved steps and a pending complaint."""
    data = {"uniqueid": call.uniqueid, "channel": call.agi.env.get("agi_channel", "")[:128],
            "mode": call.mode, "language": call.language, "started_at": call.started_at.isoformat(),
            "caller": _seal("phone", call.caller), "steps": list(call.unsaved), **end}
    if call.pending_complaint is not None:
        complaint = call.complaint
        data["complaint"] = {**call.pending_complaint, "category": complaint.category,
                             "governorate": complaint.governorate, "consent": complaint.consent,
                             "national_id": _seal("national_id", complaint.national_id),
                             "recording_format": complaint.recording_format}
    journal.append(KIND, call.uniqueid, data)


def apply(data: dict) -> None:
    """Write one journaled call (idempotent by uniqueid); hand its recording over after commit."""
    from ivr import complaints
    from ivr.call import Complaint

    recording_id = None
    with db.session_scope() as session:
        row = session.scalar(select(Call).where(Call.uniqueid == data["uniqueid"]))
        if row is None:
            row = Call(uniqueid=data["uniqueid"], channel=data["channel"], mode=data["mode"],
                       language=data["language"], started_at=datetime.fromisoformat(data["started_at"]))
            row.caller = _open("phone", data["caller"])
            session.add(row)
            session.flush()
        have = set(session.scalars(select(CallStep.seq).where(CallStep.call_id == row.id)))
        for step in data["steps"]:
            if step["seq"] not in have:
                session.add(CallStep(call_id=row.id, seq=step["seq"], step=step["step"], prompt=step["prompt"],
                                     input=step["input"], result=step["result"]))
        if data.get("outcome") and row.ended_at is None:
            row.outcome = data["outcome"]
            if data.get("ended_at"):  # absent when journaled mid-call (queued for an agent)
                row.ended_at = datetime.fromisoformat(data["ended_at"])
                row.hung_up = bool(data.get("hung_up"))
        saved = data.get("complaint")
        if saved and session.scalar(select(Case.id).where(Case.call_id == row.id)) is None:
            complaint = Complaint(category=saved["category"], governorate=saved["governorate"],
                                  national_id=_open("national_id", saved["national_id"]),
                                  consent=saved["consent"], recording_format=saved["recording_format"])
            spooled = Path(saved["spooled"]) if saved["spooled"] else None
            case, recording_id = complaints.store(session, row, _open("phone", data["caller"]) or "",
                                                  data["language"], complaint, spooled, saved["incomplete"])
            log.warning("call %s: journaled complaint saved as case %s", data["uniqueid"], case.number)
    if recording_id is not None:
        complaints.hand_over(recording_id)


def requeue_transcriptions() -> int:
    """Queue transcription again for every stored recording without a transcript (jobs lost with
    Redis, or never queued while it was down); the job id makes a queued one count once."""
    from ivr import handoff

    with db.session_scope() as session:
        waiting = list(session.scalars(
            select(Recording.id).outerjoin(Transcript)
            .where(Recording.status == "stored", Transcript.id.is_(None)).order_by(Recording.id)))
    for recording_id in waiting:
        handoff.transcribe(recording_id)
    return len(waiting)


def run() -> int:
    """Replay every journaled call, then re-queue lost transcriptions (at start-up and periodically)."""
    applied = journal.replay({KIND: apply})
    try:
        requeue_transcriptions()
    except journal.DATABASE_DOWN as exc:
        log.warning("transcriptions not re-queued, database unavailable: %s", exc)
    return applied
