"""The transcription job: one recording in, one Transcript row and a ``transcript.ready`` event out.

Queued by the IVR as ``hotline.jobs.enqueue("transcription.jobs.transcribe", recording_id,
job_id=f"transcribe-{recording_id}")``. It may run more than once (a retry, a worker killed after
storing): the unique recording_id on transcripts makes the second run a no-op.
"""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline import arabic, audit, cases, db, settings
from hotline.errors import NotFound
from hotline.events import Event, publish_after_commit
from hotline.models import Call, Case, Recording, Transcript
from transcription import engine, numbers

log = logging.getLogger(__name__)

FUNC = "transcription.jobs.transcribe"
# Recordings in these states have no audio to transcribe, now or later.
_NO_AUDIO = {"purged", "invalid"}


def job_id(recording_id: int) -> str:
    """The queue's job id for a recording's transcription (one job per recording)."""
    return f"transcribe-{recording_id}"


def enqueue(recording_id: int) -> str:
    """Queue a recording for transcription (again, for a failed job); returns the job id."""
    from hotline import jobs

    return jobs.enqueue(FUNC, recording_id, job_id=job_id(recording_id))


def load_audio(session: Session, recording_id: int) -> bytes:
    """The recording's canonical WAV, decrypted in memory by the recordings vault."""
    from recordings import playback

    return playback.load(session, recording_id)


def transcribe(recording_id: int) -> int | None:
    """Transcribe a recording and store the result; returns the transcript id (None: no audio)."""
    with db.session_scope() as session:
        done = _existing(session, recording_id)
        if done is not None:
            return done
        recording = session.get(Recording, recording_id)
        if recording is None:
            raise NotFound(f"no recording {recording_id}")
        if recording.status in _NO_AUDIO:
            log.info("recording %s is %s: nothing to transcribe", recording_id, recording.status)
            return None
        language = spoken_language(session, recording)
        # A pending recording raises NotFound here: the job fails and is retried with back-off.
        data = load_audio(session, recording_id)
    # Decoding takes seconds: no transaction stays open meanwhile.
    result = numbers.apply(engine.for_language(language).transcribe(data, language), language)
    try:
        return store(recording_id, result)
    except IntegrityError:  # another worker stored this recording's transcript first?
        with db.session_scope() as session:
            done = _existing(session, recording_id)
        if done is None:  # no: another conflict (two first audit entries at once); retried
            raise
        return done


def spoken_language(session: Session, recording: Recording) -> str:
    """The language the caller spoke: the case's, else the call's, else the default."""
    case = session.get(Case, recording.case_id) if recording.case_id else None
    call = session.get(Call, recording.call_id) if recording.call_id else None
    return (case.language if case else None) or (call.language if call else None) \
        or settings.get().default_language


def _existing(session: Session, recording_id: int) -> int | None:
    return session.scalar(select(Transcript.id).where(Transcript.recording_id == recording_id))


def store(recording_id: int, result: engine.Result) -> int:
    """Save a transcript with its redacted and search text and suggestion; announce it on commit."""
    with db.session_scope() as session:
        recording = session.get(Recording, recording_id)
        case = session.get(Case, recording.case_id) if recording.case_id else None
        redacted = arabic.redact(result.text)
        code, score = arabic.suggest_category(result.text) or (None, None)
        suggested = cases.suggest_entity(session, code, case.governorate) if case and code else None
        # A caller who names an earlier complaint: its number, once spoken numbers are digits.
        mentioned = [number for number in numbers.complaint_numbers(result.text, cases.is_valid_number)
                     if cases.find_by_number(session, number) is not None]
        transcript = Transcript(
            recording_id=recording_id, case_id=recording.case_id, text=result.text,
            redacted_text=redacted,
            # Search runs on the redacted text, so a search cannot reveal a masked number.
            search_text=arabic.normalise(redacted), words=result.words,
            confidence=result.confidence, duration=result.duration,
            decode_seconds=result.decode_seconds, real_time_factor=result.real_time_factor,
            model=result.model, suggested_category=code, suggestion_score=score)
        session.add(transcript)
        session.flush()
        audit.record(session, "recording.transcribed", actor="transcription",
                     object_type="recording", object_id=recording_id, case_id=recording.case_id,
                     detail={"transcript_id": transcript.id, "model": result.model})
        publish_after_commit(session, Event(
            "transcript.ready", call_id=recording.call_id, case_id=recording.case_id,
            payload={"recording_id": recording_id, "transcript_id": transcript.id,
                     "confidence": result.confidence, "suggested_category": code,
                     "suggestion_score": score, "mentioned_numbers": mentioned,
                     # The entity the case is routed to sees the event; a suggestion is not routing.
                     "entity_id": case.entity_id if case else None,
                     "suggested_entity_id": suggested.id if suggested else None,
                     "suggested_entity": suggested.code if suggested else None}))
        return transcript.id
