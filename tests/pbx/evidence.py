"""What a real-PBX test checks after a call: the rows, the vault, the event stream, the job."""
from __future__ import annotations

import json
from pathlib import Path

import pyrage
from rq import Queue
from rq.job import Job
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hotline import db, events, redis_conn, settings
from hotline.models import Call, CallStep, Case, Recording


def call_rows(uniqueid_prefix: str | None = None) -> list[Call]:
    with db.session_scope() as session:
        calls = session.scalars(select(Call).order_by(Call.id)).all()
        session.expunge_all()
        return list(calls)


def steps_of(call_id: int) -> list[CallStep]:
    with db.session_scope() as session:
        rows = session.scalars(select(CallStep).where(CallStep.call_id == call_id).order_by(CallStep.seq)).all()
        session.expunge_all()
        return list(rows)


def case_of(call_id: int) -> Case | None:
    with db.session_scope() as session:
        case = session.scalar(select(Case).where(Case.call_id == call_id)
                              .options(selectinload(Case.complainant)))
        if case is None:
            return None
        summary = {"number": case.number, "category": case.category, "governorate": case.governorate,
                   "incomplete": case.incomplete, "national_id": case.complainant.national_id,
                   "consent": case.complainant.consent, "phone": case.complainant.phone, "id": case.id}
        return type("CaseSummary", (), summary)


def recordings_of(case_id: int) -> list[Recording]:
    with db.session_scope() as session:
        rows = session.scalars(select(Recording).where(Recording.case_id == case_id)).all()
        session.expunge_all()
        return list(rows)


def decrypted(recording: Recording, identity: Path) -> bytes:
    """The vault file of a recording, decrypted with the reviewers' identity (as `age -d` would)."""
    path = settings.get().recordings_dir / recording.vault_path
    key = pyrage.x25519.Identity.from_str(
        next(line for line in identity.read_text().splitlines() if line.startswith("AGE-SECRET-KEY")))
    return pyrage.decrypt(path.read_bytes(), [key])


def plaintext_audio(var_dir: Path, sounds_dir: Path) -> list[Path]:
    """Files under var_dir holding clear audio (RIFF headers), prompts aside."""
    found = []
    for path in var_dir.rglob("*"):
        if path.is_file() and sounds_dir not in path.parents:
            with open(path, "rb") as handle:
                if handle.read(4) == b"RIFF":
                    found.append(path)
    return found


def stream_events(call_id: int | None = None, case_id: int | None = None) -> list[dict]:
    """Events in the Redis stream (what every console re-syncs from) for a call or a case."""
    client = redis_conn.get(settings.get().redis_url)
    out = []
    for _id, fields in client.xrange(events.STREAM):
        raw = fields.get(b"event") or fields.get("event") or next(iter(fields.values()))
        event = json.loads(raw)
        if (call_id is None or event.get("call_id") == call_id) and \
                (case_id is None or event.get("case_id") == case_id):
            out.append(event)
    return out


def transcription_job(recording_id: int) -> Job | None:
    """The queued transcription job of a recording (RQ), if any."""
    connection = redis_conn.get(settings.get().redis_url)
    queue = Queue("default", connection=connection)
    job_id = f"transcribe-{recording_id}"
    if job_id not in queue.job_ids:
        return None
    return Job.fetch(job_id, connection=connection)
