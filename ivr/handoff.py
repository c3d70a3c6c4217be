"""The hand-off of a spooled recording to the recordings vault, then to transcription.

``recordings.intake`` is imported lazily (start-up stays fast, and the IVR runs before the vault
exists); without it the recording stays ``spooled`` in the spool folder for the sweeper.
"""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from hotline import events, jobs
from hotline.models import Recording

log = logging.getLogger(__name__)


def check_ready() -> None:
    """Fail start-up (SettingsError) when recordings cannot be encrypted to anyone."""
    intake = _intake()
    if intake is not None:
        intake.check_ready()


def accept(session: Session, recording: Recording) -> None:
    """Hand a spooled recording to the vault (encrypt, or mark it pending; never raises)."""
    intake = _intake()
    if intake is None:
        events.publish_after_commit(session, events.Event(
            "recording.saved", call_id=recording.call_id, case_id=recording.case_id,
            payload={"recording_id": recording.id, "duration_ms": recording.duration_ms}))
        return
    intake.accept(session, recording)


def transcribe(recording_id: int) -> None:
    """Queue the transcription job (idempotent by job id)."""
    try:
        jobs.enqueue("transcription.jobs.transcribe", recording_id, job_id=f"transcribe-{recording_id}")
    except Exception as exc:  # the case is saved; the sweeper or an agent can re-queue it
        log.warning("transcription of recording %s not queued: %s", recording_id, exc)


def _intake():
    try:
        from recordings import intake
    except ImportError:
        return None
    return intake
