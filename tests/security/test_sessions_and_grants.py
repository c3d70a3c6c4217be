"""Sessions end when they should (issue 14 point 7) and no admin alone opens the cases (point 6)."""
from __future__ import annotations

import re

from sqlalchemy import select

from hotline import db
from hotline.models import AuditEntry, GrantRequest, User
from tests.console.conftest import PASSWORD, login
from tests.security.conftest import csrf


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    """A fresh browser presenting a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def test_logout_ends_the_session_the_cookie_cannot_be_replayed(app, client_as, world):
    agent2 = client_as("agent2")
    stolen, elsewhere = _cookie(agent2), client_as("agent2")  # and a second browser
    assert _replay(app, stolen).get("/cases").status_code == 200
    assert agent2.post("/logout", data={"csrf_token": csrf(agent2)}).status_code == 302
    for client in (_replay(app, stolen), elsewhere):
        reply = client.get("/cases")
        assert reply.status_code == 302 and "/login" in reply.headers["Location"]


def _edit(admin, target: str, **fields):
    with db.session_scope() as session:
        target_id = session.scalar(select(User.id).where(User.username == target))
    data = {"csrf_token": csrf(admin, "/admin/users"), "role": "agent", "entity": "", "extension": "",
            "active": "y", "password": ""}
    data.update(fields)
    return admin.post(f"/admin/users/{target_id}", data=data)


def _decide(admin, decision: str = "approve"):
    with db.session_scope() as session:
        request_id = session.scalar(select(GrantRequest.id).where(GrantRequest.status == "pending")
                                    .order_by(GrantRequest.id.desc()))
    return admin.post(f"/admin/users/requests/{request_id}/{decision}", data={"csrf_token": csrf(admin)})


def test_disable_and_role_change_end_sessions_and_sockets(app, client_as, world):
    from tests.console.test_live import socket_for

    agent2 = client_as("agent2")
    stolen = _cookie(agent2)
    sock = socket_for(app, agent2)
    assert sock.is_connected("/live")
    admin, admin2 = client_as("admin"), client_as("admin2")
    assert _edit(admin, "agent2", role="supervisor").status_code == 302
    assert agent2.get("/cases").status_code == 200  # only requested: nothing changed yet
    assert _decide(admin2).status_code == 303
    from hotline import events

    events.wait_dispatched()
    assert not sock.is_connected("/live")  # its rooms went with it
    assert _replay(app, stolen).get("/cases").status_code == 302
    agent2 = client_as("agent2")  # signs in again, now as a supervisor
    assert agent2.get("/wallboard").status_code == 200
    stolen = _cookie(agent2)
    _edit(admin, "agent2", role="supervisor", active="")  # disabling applies at once
    assert _replay(app, stolen).get("/cases").status_code == 302
    assert login(app.test_client(), "agent2").status_code == 401


def test_a_socket_event_after_revocation_is_refused(app, client_as, world):
    """Even a socket that the revocation event has not reached is checked on every event."""
    from tests.console.test_live import socket_for

    sock = socket_for(app, client_as("agent"))
    assert "calls" in sock.emit("sync", None, namespace="/live", callback=True)
    with db.session_scope() as session:  # as another console's revocation: no local event
        session.get(User, world.users["agent"]).session_version += 1
    assert sock.emit("sync", None, namespace="/live", callback=True)["error"] == "forbidden"


def test_no_admin_grants_themselves_case_access(app, client_as, world):
    admin = client_as("admin")
    reply = _edit(admin, "admin", role="supervisor")
    assert "لا يغير أحد دوره أو جهته أو حالته بنفسه" in reply.get_data(as_text=True)  # the core's refusal, in Arabic
    with db.session_scope() as session:
        assert session.get(User, world.users["admin"]).role == "admin"
        assert session.scalar(select(GrantRequest.id)) is None
    assert admin.get("/cases").status_code == 403


def test_a_new_supervisor_waits_for_a_second_admin(app, client_as, world):
    admin, admin2 = client_as("admin"), client_as("admin2")
    created = admin.post("/admin/users", data={
        "csrf_token": csrf(admin, "/admin/users"), "username": "crony", "role": "supervisor",
        "entity": "", "extension": "", "display_name": "", "password": PASSWORD})
    assert created.status_code == 302
    assert login(app.test_client(), "crony").status_code == 401  # disabled until approved
    refused = _decide(admin)  # the admin who asked cannot approve
    assert refused.status_code == 303
    with db.session_scope() as session:
        assert session.scalar(select(GrantRequest.status)) == "pending"
    _decide(admin2)
    crony = app.test_client()
    assert login(crony, "crony").status_code == 302 and crony.get("/cases").status_code == 200
    with db.session_scope() as session:
        trail = [(e.action, e.actor) for e in session.scalars(select(AuditEntry).where(
            AuditEntry.action.like("user.change_%")).order_by(AuditEntry.id))]
    assert trail == [("user.change_requested", "admin"), ("user.change_approved", "admin2")]


def test_an_admin_cannot_take_over_an_account_by_resetting_its_password(app, client_as, world):
    admin, admin2 = client_as("admin"), client_as("admin2")
    _edit(admin, "supervisor", role="supervisor", password="the admin now knows this")
    assert login(app.test_client(), "supervisor", "the admin now knows this").status_code == 401
    assert login(app.test_client(), "supervisor").status_code == 302  # the old one still works
    page = admin2.get("/admin/users").get_data(as_text=True)
    assert re.search(r"كلمة مرور جديدة", page)  # the request waiting says what it changes
    _decide(admin2, "reject")
    assert login(app.test_client(), "supervisor", "the admin now knows this").status_code == 401
    with db.session_scope() as session:
        assert session.scalar(select(GrantRequest.password_hash)) is None  # not kept after a decision
