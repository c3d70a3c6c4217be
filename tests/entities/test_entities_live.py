"""Socket.IO: an officer's socket joins the rooms of their entity and its units, nothing else."""
from __future__ import annotations

from entities_world import NID, PHONE, signed_in
from hotline import cases, db, events
from hotline.models import Case, CaseStatus


def _socket(app, username):
    client = signed_in(app, username)
    socketio = app.extensions["shakwa.live"]
    sock = socketio.test_client(app, namespace=events.NAMESPACE, flask_test_client=client)
    assert sock.is_connected(events.NAMESPACE)
    return sock


def _case_ids(sock) -> set[int]:
    return {message["args"][0]["case_id"] for message in sock.get_received(events.NAMESPACE)
            if message["args"] and isinstance(message["args"][0], dict)}


def test_officers_receive_only_their_entitys_case_events(app, world):
    officer_a, officer_b, unit = (_socket(app, u) for u in ("officer_a", "officer_b", "unit_officer"))
    for sock in (officer_a, officer_b, unit):
        sock.get_received(events.NAMESPACE)
    with db.session_scope() as session:
        for key in ("a_unit", "b_consent"):
            cases.change_status(session, session.get(Case, world.ids[key]), CaseStatus.under_review,
                                actor="test")
    events.wait_dispatched()
    assert _case_ids(officer_a) == {world.ids["a_unit"]}  # the unit's case reaches its parent
    assert _case_ids(officer_b) == {world.ids["b_consent"]}
    assert _case_ids(unit) == {world.ids["a_unit"]}


def test_events_carry_no_identity(app, world):
    officer_a = _socket(app, "officer_a")
    officer_a.get_received(events.NAMESPACE)
    with db.session_scope() as session:
        case = session.get(Case, world.ids["a_consent"])
        cases.change_status(session, case, CaseStatus.answered, actor="officer_a")
    events.wait_dispatched()
    received = officer_a.get_received(events.NAMESPACE)
    names = {m["name"] for m in received}
    assert "case.status_changed" in names and "notification.queued" in names
    text = repr(received)
    assert PHONE not in text and NID not in text and "5678" not in text
