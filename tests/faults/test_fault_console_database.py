"""PostgreSQL stopped under a connected console: its Socket.IO events answer "unavailable"
(the page asks again, live.js ``Shakwa.ask``) instead of failing, and answer again once it is back."""
from __future__ import annotations

from hotline import db, users
from hotline.models import Call
from tests.console.conftest import PASSWORD, login
from tests.support.console_app import console_app


def _socket(app, username: str):
    client = app.test_client()
    assert login(client, username).status_code == 302
    sock = app.extensions["shakwa.live"].test_client(app, namespace="/live", flask_test_client=client)
    assert sock.is_connected("/live")
    return sock


def test_socket_events_say_unavailable_while_postgresql_is_down(private_pg, on_private_pg):
    with db.session_scope() as session:
        users.create_user(session, username="agent", password=PASSWORD, role="agent")
        users.create_user(session, username="supervisor", password=PASSWORD, role="supervisor")
        session.add(Call(uniqueid="1700000000.9", mode="simulated", language="ar"))
    with console_app(on_private_pg.replace(console_secure_cookies=False)) as app:
        agent, supervisor = _socket(app, "agent"), _socket(app, "supervisor")
        assert [c["uniqueid"] for c in agent.emit("sync", callback=True, namespace="/live")["calls"]] \
            == ["1700000000.9"]
        assert "in_ivr" in supervisor.emit("wallboard", callback=True, namespace="/live")

        private_pg.stop()
        assert agent.emit("sync", callback=True, namespace="/live") == {"error": "unavailable"}
        assert supervisor.emit("wallboard", callback=True, namespace="/live") == {"error": "unavailable"}

        private_pg.start()
        again = agent.emit("sync", callback=True, namespace="/live")
        assert [c["uniqueid"] for c in again["calls"]] == ["1700000000.9"]
        assert supervisor.emit("wallboard", callback=True, namespace="/live")["in_ivr"] == 1
        assert agent.emit("wallboard", callback=True, namespace="/live")["error"] == "forbidden"
