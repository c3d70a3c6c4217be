"""Socket.IO: no session no socket, rooms by permission, re-sync from the database, live relay."""
from __future__ import annotations

import time

from hotline import events
from tests.console.conftest import make_call


def socket_for(app, client):
    return app.extensions["shakwa.live"].test_client(app, namespace="/live", flask_test_client=client)


def received(sock, name: str, seconds: float = 5.0) -> list[dict]:
    """The events called ``name`` that reached this socket (waiting for the dispatcher thread)."""
    deadline = time.monotonic() + seconds
    found: list[dict] = []
    while time.monotonic() < deadline:
        events.wait_dispatched()
        found += [r["args"][0] for r in sock.get_received("/live") if r["name"] == name]
        if found:
            return found
        time.sleep(0.05)
    return found


def test_connection_without_session_is_refused(app):
    sock = socket_for(app, app.test_client())
    assert not sock.is_connected("/live")


def test_sync_returns_calls_in_ivr_and_queue_from_the_database(app, client_as):
    in_ivr = make_call("1.1", steps=("welcome", "language", "main_menu"))
    queued = make_call("1.2", outcome="queued")
    make_call("1.3", outcome="completed")
    sock = socket_for(app, client_as("agent"))
    assert sock.is_connected("/live")
    state = sock.emit("sync", None, namespace="/live", callback=True)
    assert [c["call_id"] for c in state["calls"]] == [in_ivr]
    assert state["calls"][0]["step"] == "main_menu"
    assert [q["call_id"] for q in state["queue"]] == [queued]
    # A call answered by an agent (AMI AgentConnect) leaves the queue, also after a reconnect.
    events.publish(events.Event("queue.agent_connect", call_id=queued,
                                payload={"uniqueid": "1.2", "queue": "hotline", "agent": "101"}))
    again = socket_for(app, client_as("supervisor"))
    assert again.emit("sync", None, namespace="/live", callback=True)["queue"] == []


def test_events_reach_only_the_rooms_allowed_to_see_them(app, client_as):
    agent = socket_for(app, client_as("agent"))
    officer = socket_for(app, client_as("officer"))
    events.publish(events.Event("call.step", call_id=7, payload={"seq": 2, "step": "language"}))
    got = received(agent, "call.step")
    assert got and got[0]["payload"]["step"] == "language"
    assert received(officer, "call.step", seconds=0.3) == []


def test_entity_officers_hear_cases_routed_to_their_entity(app, client_as):
    officer = socket_for(app, client_as("officer"))
    from hotline import db
    from hotline.models import User

    with db.session_scope() as session:
        entity_id = session.query(User).filter_by(username="officer").one().entity_id
    events.publish(events.Event("case.routed", case_id=1, payload={"number": "x", "entity_id": entity_id}))
    events.publish(events.Event("case.routed", case_id=2, payload={"number": "y", "entity_id": entity_id + 1}))
    got = received(officer, "case.routed")
    assert [e["case_id"] for e in got] == [1]


def test_socket_events_check_permissions(app, client_as):
    agent = socket_for(app, client_as("agent"))
    assert agent.emit("wallboard", None, namespace="/live", callback=True)["error"] == "forbidden"
    supervisor = socket_for(app, client_as("supervisor"))
    figures = supervisor.emit("wallboard", None, namespace="/live", callback=True)
    assert {"in_ivr", "waiting", "longest_wait", "agents", "cases", "sla_breached"} <= set(figures)
    reviewer = socket_for(app, client_as("reviewer"))
    assert reviewer.emit("sync", None, namespace="/live", callback=True)["error"] == "forbidden"
