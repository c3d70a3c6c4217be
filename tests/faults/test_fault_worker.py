"""A transcription worker killed with SIGKILL mid-job: the job runs again and exactly one transcript
results; complaints placed = cases stored = transcripts stored (real Vosk, Korean model)."""
from __future__ import annotations

import os
import signal
import subprocess

from rq import Worker
from rq.job import Job, JobStatus
from sqlalchemy import select

from hotline import db, redis_conn
from hotline.models import Transcript
from ivr import testing
from ivr.fastagi_server import Server
from tests.faults.stack import counts, full_settings, start_worker, stop, wait_for
from tests.ivr.conftest import COMPLAINT, SUNDAY_10AM

SPEECH = ("The water has been cut in our street for three days and nobody answers the phone. " * 12)


def long_speech(path) -> str:
    """About a minute of real speech (espeak-ng): long enough to be killed in the middle of."""
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(path), SPEECH], check=True, capture_output=True)
    return path


def test_worker_killed_mid_job(private_pg, private_redis, tmp_path):
    conf = full_settings(tmp_path, private_pg.url, private_redis.url)
    server = Server("127.0.0.1", 0, lambda: SUNDAY_10AM)
    server.start()
    audio = long_speech(tmp_path / "speech.wav")
    placed = [testing.fake_asterisk(COMPLAINT, audio=audio) for _ in range(2)]
    try:
        for sim in placed:
            testing.run_fastagi(sim, "127.0.0.1", server.server_address[1])
    finally:
        server.stop()
    assert all(sim.said_digits for sim in placed)
    connection = redis_conn.get(conf.redis_url)
    job_ids = [job_id.decode() for job_id in connection.lrange("rq:queue:default", 0, -1)]
    assert len(job_ids) == len(placed)

    first = start_worker(conf, "--heartbeat", "1", "--maintenance", "2")
    second = None
    try:
        running = wait_for(lambda: next((j for j in job_ids if Job.fetch(j, connection=connection)
                                         .get_status() == JobStatus.STARTED), None), "a job to start")
        # The pool and its worker (in its own process group) die mid-decoding, as on a power cut.
        worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix
                                    + Job.fetch(running, connection=connection).worker_name,
                                    connection=connection)
        os.killpg(worker.pid, signal.SIGKILL)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        assert counts()[2] < len(placed)
        second = start_worker(conf, "--heartbeat", "1", "--maintenance", "2")
        wait_for(lambda: counts()[2] == len(placed), "every recording transcribed, the killed job again")
        assert Job.fetch(running, connection=connection).get_status() == JobStatus.FINISHED
    finally:
        stop(first)
        if second is not None:
            stop(second)
    assert counts() == (len(placed), len(placed), len(placed))
    with db.session_scope() as session:  # exactly one transcript per recording, with words in it
        rows = session.scalars(select(Transcript)).all()
        assert len({row.recording_id for row in rows}) == len(placed)
        assert all(row.text for row in rows)
