"""Events reach real Redis subscribers; jobs run on a real RQ worker or the embedded worker."""
import json
import subprocess
import sys
import threading
import time

import redis

from hotline import db, events, jobs, settings
from hotline.jobs import EmbeddedWorker, _Job
from tests.conftest import ROOT, settings_environ


def test_event_reaches_the_redis_stream_and_the_socketio_queue(redis_url):
    client = redis.Redis.from_url(redis_url)
    pubsub = client.pubsub()
    pubsub.subscribe(events.SOCKETIO_CHANNEL)
    assert pubsub.get_message(timeout=2)["type"] == "subscribe"

    event = events.Event("case.routed", case_id=7, payload={"number": "2600000757", "entity_id": 3})
    events.publish(event)

    [[_stream, [(_id, fields)]]] = client.xread({events.STREAM: "0"}, count=10, block=2000)
    assert json.loads(fields[b"event"]) == event.to_dict()

    message = pubsub.get_message(timeout=5)
    while message and message["type"] != "message":
        message = pubsub.get_message(timeout=5)
    emitted = json.loads(message["data"])
    assert emitted["method"] == "emit" and emitted["event"] == "case.routed"
    assert emitted["namespace"] == events.NAMESPACE
    assert emitted["data"] == [event.to_dict()]  # Socket.IO packs the arguments as a list
    assert sorted(emitted["room"]) == ["entity:3", "perm:cases.view"]
    assert events.recent()[-1]["id"] == event.id
    pubsub.close()


def test_publish_never_raises_when_redis_is_down(redis_url, isolated_settings):
    settings.install(settings.get().replace(redis_url="redis://127.0.0.1:1/0"))
    events.publish(events.Event("call.started", call_id=1))  # logged, not raised
    assert events.recent()[-1]["type"] == "call.started"


def test_events_publish_only_after_commit(db_url):
    from hotline import cases

    seen = []
    unsubscribe = events.subscribe(seen.append)
    try:
        try:
            with db.session_scope() as session:
                cases.create_case(session, channel="ivr", actor="ivr")
                raise RuntimeError("caller hung up, transaction rolled back")
        except RuntimeError:
            pass
        events.wait_dispatched()
        assert seen == []
        with db.session_scope() as session:
            case = cases.create_case(session, channel="ivr", actor="ivr", category="garbage")
            events.wait_dispatched()
            assert seen == []  # not yet committed
        events.wait_dispatched()
        assert [e.type for e in seen] == ["case.created"]
        assert seen[0].case_id == case.id and seen[0].payload["category"] == "garbage"
    finally:
        unsubscribe()


def test_event_payload_rooms_follow_the_audience_table():
    assert events.Event("call.step", call_id=1).rooms() == ["perm:calls.view_live"]
    assert events.Event("agent.state").rooms() == ["perm:wallboard.view"]
    assert events.Event("transcript.ready", payload={"entity_id": 9}).rooms() == [
        "perm:cases.view", "entity:9"]


def test_rq_job_runs_on_a_real_worker(redis_url, tmp_path):
    marker = tmp_path / "ran.txt"
    job_id = jobs.enqueue("tests.support.jobfuncs.write_marker", str(marker), "hello", job_id="j1")
    jobs.enqueue("tests.support.jobfuncs.write_marker", str(marker), "hello", job_id="j1")  # duplicate
    assert job_id == "j1"
    worker = subprocess.run(
        [sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", redis_url, "default"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env=settings_environ(settings.get()))
    assert worker.returncode == 0, worker.stderr
    assert marker.read_text() == "hello\n"  # ran once: the duplicate was not queued


def test_embedded_worker_retries_with_back_off(tmp_path):
    marker = tmp_path / "tries.txt"
    worker = EmbeddedWorker(retry_intervals=(0.05, 0.05, 0.05))
    worker.submit(_Job("flaky", "tests.support.jobfuncs.fail_until", (str(marker), 3), {}, retries=3))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(marker.read_text().splitlines() if marker.exists() else []) < 3:
        time.sleep(0.05)
    worker.join()
    assert marker.read_text().splitlines() == ["try 1", "try 2", "try 3"]
    assert "flaky" not in worker.failed


def test_embedded_worker_keeps_failed_jobs_visible(tmp_path):
    worker = EmbeddedWorker(retry_intervals=(0.01,))
    done = threading.Event()
    worker.submit(_Job("doomed", "tests.support.jobfuncs.fail_until", (str(tmp_path / "m"), 99), {},
                       retries=1))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "doomed" not in worker.failed:
        done.wait(0.05)
    assert worker.failed["doomed"].attempts == 2
    assert "transient failure 2" in worker.failed["doomed"].error


def test_embedded_enqueue_runs_in_process(tmp_path):
    marker = tmp_path / "embedded.txt"
    jobs.enqueue("tests.support.jobfuncs.write_marker", str(marker), "in-process")
    jobs.embedded_worker().join()
    assert marker.read_text() == "in-process\n"


def test_a_job_outlives_the_process_that_queued_it(db_url, tmp_path, monkeypatch):
    # A classic-AGI process only writes the job: the database keeps it after the process is gone.
    marker = tmp_path / "durable.txt"
    done = subprocess.run([sys.executable, "-c", (
        "from hotline import jobs\n"
        "jobs.enqueue_only()\n"
        f"jobs.enqueue('tests.support.jobfuncs.write_marker', {str(marker)!r}, 'later', job_id='t-1')\n")],
        capture_output=True, text=True, timeout=60, cwd=ROOT, env=settings_environ(settings.get()))
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    from hotline.models import JobRow

    with db.session_scope() as session:
        row = session.get(JobRow, "t-1")
        assert (row.state, row.func, row.args) == ("queued", "tests.support.jobfuncs.write_marker",
                                                   [str(marker), "later"])
    # Whatever process runs the workers takes it up, runs it once, and removes it.
    assert jobs.pickup() == 1
    jobs.embedded_worker().join()
    assert marker.read_text() == "later\n"
    with db.session_scope() as session:
        assert session.get(JobRow, "t-1") is None
    assert jobs.pickup() == 0


def test_a_claimed_job_runs_once_and_an_abandoned_one_runs_again(db_url, tmp_path):
    from datetime import timedelta

    from hotline import job_store
    from hotline.models import JobRow, utcnow

    marker = tmp_path / "once.txt"
    assert job_store.store("t-2", "tests.support.jobfuncs.write_marker", (str(marker), "x"), {}, 3, "default")
    assert job_store.claim("t-2") and not job_store.claim("t-2")  # a second worker gets nothing
    assert jobs.pickup() == 0
    with db.session_scope() as session:  # the claiming process died an hour ago
        session.get(JobRow, "t-2").claimed_at = utcnow() - timedelta(hours=1)
    assert jobs.pickup() == 1
    jobs.embedded_worker().join()
    assert marker.read_text() == "x\n"


def test_a_durable_job_that_keeps_failing_is_listed_and_can_be_queued_again(db_url, tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "_worker", EmbeddedWorker(retry_intervals=(0.01,)))
    marker = tmp_path / "m"
    jobs.enqueue("tests.support.jobfuncs.fail_until", str(marker), 3, job_id="t-3", retries=1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not jobs.failed():
        time.sleep(0.05)
    [failed] = jobs.failed()
    assert failed["id"] == "t-3" and "transient failure 2" in failed["error"]
    from hotline.models import JobRow

    with db.session_scope() as session:
        assert session.get(JobRow, "t-3").state == "failed"
    assert jobs.requeue("t-3")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(marker.read_text().splitlines()) < 3:
        time.sleep(0.05)
    jobs.embedded_worker().join()
    assert marker.read_text().splitlines() == ["try 1", "try 2", "try 3"]
    with db.session_scope() as session:
        assert session.get(JobRow, "t-3") is None
