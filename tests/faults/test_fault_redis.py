"""Redis killed in the middle of calls: calls and cases complete, the console shows a degraded banner,
queued jobs survive (append-only file) and lost ones are re-queued from the database; every complaint
ends with one case and one transcript (real Vosk, Korean model)."""
from __future__ import annotations

from hotline import events, health
from ivr import replay, testing
from ivr.fastagi_server import Server
from tests.console.conftest import login
from tests.faults.stack import counts, full_settings, start_worker, stop, wait_for, when
from tests.ivr.conftest import COMPLAINT, SUNDAY_10AM
from hotline import db, users


def test_redis_killed_mid_call(private_pg, private_redis, tmp_path):
    conf = full_settings(tmp_path, private_pg.url, private_redis.url)
    from agent_console import create_app

    with db.session_scope() as session:
        users.create_user(session, username="supervisor", password="correct horse battery", role="supervisor")
    app = create_app(conf.replace(console_secure_cookies=False))
    app.extensions["shakwa.redis_probe"] = health.Cached(health.redis, seconds=0)
    browser = app.test_client()
    assert login(browser, "supervisor").status_code == 302
    assert 'id="degraded"' not in browser.get("/calls").get_data(as_text=True)

    server = Server("127.0.0.1", 0, lambda: SUNDAY_10AM)
    server.start()
    port = server.server_address[1]
    placed = [testing.fake_asterisk(COMPLAINT) for _ in range(3)]
    try:
        testing.run_fastagi(placed[0], "127.0.0.1", port)  # its job waits in Redis: no worker yet
        when(placed[1], b"RECORD FILE", private_redis.stop)  # Redis dies while the caller records
        testing.run_fastagi(placed[1], "127.0.0.1", port)
        testing.run_fastagi(placed[2], "127.0.0.1", port)  # a whole call with Redis down
        page = browser.get("/calls")
        assert page.status_code == 200 and 'id="degraded"' in page.get_data(as_text=True)
        assert browser.get("/healthz").status_code == 503
    finally:
        server.stop()
    for sim in placed:  # every caller heard a complaint number
        assert sim.said_digits and "technical_error" not in sim.prompts, sim.prompts
    assert counts()[:2] == (3, 3)

    private_redis.start()  # the append-only file brings back the job queued before the outage
    assert private_redis.client().llen("rq:queue:default") == 1
    assert replay.requeue_transcriptions() == 3  # the two lost while Redis was down (and the kept one, once)
    assert private_redis.client().llen("rq:queue:default") == 3
    assert 'id="degraded"' not in browser.get("/calls").get_data(as_text=True)
    assert browser.get("/healthz").status_code == 200

    worker = start_worker(conf, "--burst")
    try:
        wait_for(lambda: counts()[2] == 3, "three transcripts")
        assert worker.wait(timeout=120) == 0, worker.log.read_text()
    finally:
        stop(worker)
    assert counts() == (3, 3, 3)  # complaints placed = cases stored = transcripts stored
    ready = [e for e in events.recent() if e["type"] == "transcript.ready"]
    assert len(ready) == 3  # the live path works again: consoles following the stream re-sync
