"""Scale-out on one machine as on many (issue #9): two FastAGI servers, two console processes behind
HAProxy's cookie stickiness, two transcription workers, one PostgreSQL, one Redis. Concurrent calls
go to both FastAGI servers; every event reaches the browsers and Socket.IO clients on both consoles,
and complaints placed = cases stored = transcripts stored, one case and one transcript each."""
from __future__ import annotations

import json
from collections import Counter
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from sqlalchemy import select

from hotline import db, events, security, users
from hotline.models import Call, Case, Transcript
from ivr import testing
from tests.console.conftest import PASSWORD
from tests.console.servers import signed_in
from tests.faults.stack import counts, full_settings, wait_for
from tests.ivr.conftest import COMPLAINT
from tests.scaleout.cluster import cluster, jobs_done_by
from tests.scaleout.proxy import COOKIE, requests_seen
from tests.support import database
from tests.support.browser import launch, sign_in

pytestmark = [pytest.mark.postgresql, pytest.mark.redis]

CALLS = 20  # placed at once, half on each FastAGI server
AGENTS = ("agent1", "agent2")
SPEECH = "수도에서 물이 나오지 않은 지 삼 일이 되었습니다 아이들이 씻을 수가 없어요"  # the Korean test model
# Every event the page's one Socket.IO connection dispatches (agent_console/static/live.js).
COLLECT = "() => { window.seen = []; Shakwa.on('*', function (e) { if (e && e.id) window.seen.push(e.id); }); }"


@pytest.fixture
def conf(postgresql_database, redis_url, tmp_path):
    """Settings every process shares: PostgreSQL, Redis, Vosk, age keys; two agents."""
    database.clean_postgresql(postgresql_database)
    shared = full_settings(tmp_path, postgresql_database, redis_url)
    with db.session_scope() as session:
        for name in AGENTS:
            users.create_user(session, username=name, password=PASSWORD, role="agent")
    return shared


def speech(path):
    """A few seconds of real speech (espeak-ng), the caller's complaint."""
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(path), SPEECH], check=True, capture_output=True,
                   timeout=60)
    return path


def open_page(browser, base: str, username: str):
    """A signed-in live-calls page, online, recording every event its socket receives."""
    from playwright.sync_api import expect

    page = sign_in(browser, base, username)
    page.goto(f"{base}/calls")
    expect(page.locator("#live-status.online")).to_be_visible(timeout=30000)
    page.evaluate(COLLECT)
    return page


def polling_client(base: str, username: str):
    """A python-socketio client on long-polling only: every request must reach the same console."""
    import socketio

    http = signed_in(base, username)
    client = socketio.Client(reconnection=False, http_session=http)
    client.seen = []
    client.on("*", lambda _type, data: client.seen.append(data["id"]), namespace="/live")
    client.connect(base, namespaces=["/live"], transports=["polling"], wait_timeout=20)
    assert "calls" in client.call("sync", None, namespace="/live", timeout=20)  # in its rooms
    client.console = http.cookies[COOKIE]
    return client


def published_since(connection: redis.Redis, start: str) -> list[dict]:
    """Events in the Redis stream after ``start`` that an agent may receive."""
    rooms = {f"perm:{p}" for p in security.permissions("agent")}
    found = [json.loads(fields[b"event"]) for _id, fields in connection.xrange(events.STREAM, f"({start}")]
    return [e for e in found if rooms & set(events.Event.from_dict(e).rooms())]


def place_calls(ports: list[int], audio) -> list:
    """CALLS new-complaint calls at once, alternating between the FastAGI servers; their fake channels."""
    sims = [testing.fake_asterisk(COMPLAINT, audio=audio) for _ in range(CALLS)]
    with ThreadPoolExecutor(CALLS) as pool:
        list(pool.map(lambda n: testing.run_fastagi(sims[n], "127.0.0.1", ports[n % len(ports)],
                                                    timeout=120), range(CALLS)))
    return sims


def received(page_consoles: list[str], pages, clients) -> dict[str, list[str]]:
    """The ids of the events each page and each polling client has received so far."""
    seen = {f"page on {console}": page.evaluate("window.seen") for console, page in zip(page_consoles, pages)}
    seen.update({f"client on {client.console}": list(client.seen) for client in clients})
    return seen


def test_calls_on_two_fastagi_servers_reach_browsers_on_two_consoles(conf, tmp_path, monkeypatch):
    from engineio.payload import Payload
    from playwright.sync_api import sync_playwright

    # python-engineio's client refuses a long-poll answer of more than 16 packets (a guard meant for
    # servers, python-engineio#142); a burst of calls batches more. Browsers have no such limit.
    monkeypatch.setattr(Payload, "max_decode_packets", 10_000)

    audio = speech(tmp_path / "speech.wav")
    connection = redis.Redis.from_url(conf.redis_url)
    with cluster(conf, tmp_path) as site, sync_playwright() as pw:
        browser = launch(pw)
        clients = []
        try:
            pages = [open_page(browser, site.proxy, name) for name in AGENTS]
            clients = [polling_client(site.proxy, name) for name in AGENTS]
            # Round robin put each new browser on the next console; the cookie keeps it there.
            page_consoles = [next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE)
                             for page in pages]
            assert sorted(page_consoles) == sorted(site.consoles)
            assert sorted(client.console for client in clients) == sorted(site.consoles)
            start = (connection.xinfo_stream(events.STREAM)["last-generated-id"].decode()
                     if connection.exists(events.STREAM) else "0-0")

            sims = place_calls(site.fastagi_ports, audio)
            for sim in sims:  # every caller, on either server, heard a complaint number
                assert len(sim.said_digits) == 1 and "technical_error" not in sim.prompts, sim.prompts

            wait_for(lambda: counts()[2] == CALLS, "a transcript of every complaint")
            wait_for(lambda: sum(e["type"] == "transcript.ready"
                                 for e in published_since(connection, start)) == CALLS,
                     "every transcript.ready published")
            expected = published_since(connection, start)

            def missing() -> dict[str, Counter]:
                """Per page and client, the types of the events it has not received (yet)."""
                return {who: Counter(e["type"] for e in expected if e["id"] not in set(ids))
                        for who, ids in received(page_consoles, pages, clients).items()}

            try:
                wait_for(lambda: not any(missing().values()), "every event on every page and client")
            except pytest.fail.Exception:
                pytest.fail(f"events missed: {missing()}")
            for who, ids in received(page_consoles, pages, clients).items():
                assert len(ids) == len(set(ids)), who  # each event once: one console relays it
            jobs = jobs_done_by(connection, site.workers)
        finally:
            for client in clients:
                client.disconnect()
            browser.close()
            connection.close()

    # Each browser's socket and each polling request went to the console its cookie names.
    seen = requests_seen(site.proxy_log)
    upgrades = [(server, sent) for server, status, uri, sent in seen if status == "101"]
    # (each page a WebSocket per page load: the landing page, then the live calls)
    assert {server for server, _ in upgrades} == set(site.consoles) and all(s == c for s, c in upgrades)
    polls = [(server, sent) for server, _status, uri, sent in seen if "transport=polling" in uri and sent]
    assert {server for server, _ in polls} == set(site.consoles) and all(s == c for s, c in polls)
    assert all(jobs) and sum(jobs) >= CALLS, jobs  # both workers transcribed

    assert counts() == (CALLS, CALLS, CALLS)  # complaints placed = cases stored = transcripts stored
    with db.session_scope() as session:
        calls = {c.uniqueid: c for c in session.scalars(select(Call))}
        cases = {c.call_id: c for c in session.scalars(select(Case))}
        transcripts = session.scalars(select(Transcript)).all()
        assert set(calls) == {sim.env["agi_uniqueid"] for sim in sims}
        assert len(cases) == CALLS and set(cases) == {c.id for c in calls.values()}  # one case a call
        assert sorted(t.case_id for t in transcripts) == sorted(c.id for c in cases.values())
        assert all(t.text for t in transcripts)
        for sim in sims:
            call = calls[sim.env["agi_uniqueid"]]
            assert sim.said_digits == [cases[call.id].number]
            assert call.mode == "fastagi" and call.ended_at is not None
        for call_id, case in cases.items():
            assert ({"call.started", "call.step", "call.ended"} <= {
                e["type"] for e in expected if e["call_id"] == call_id and e["type"].startswith("call.")})
            assert {"case.created", "transcript.ready"} <= {
                e["type"] for e in expected if e["case_id"] == case.id}
