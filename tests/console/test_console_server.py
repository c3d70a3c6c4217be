"""``run_ivr.py console`` on its two servers: gevent (the default, production) and threads."""
from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from hotline import db, settings, users
from tests.conftest import ROOT, run_command, settings_environ, use_settings
from tests.console.conftest import PASSWORD
from tests.console.servers import console_process, free_port, signed_in, socket_client

PUBLISH = """
from hotline import events
events.publish(events.Event("call.step", call_id=7, payload={"seq": 1, "step": "category"}))
"""

# In a process patched as the console patches itself: does a query waiting on PostgreSQL let
# another greenlet run? With a blocking wait the slow query would finish first.
COOPERATIVE = """
import json
from agent_console.commands.console import use_gevent
use_gevent()
import gevent
from sqlalchemy import text
from hotline import db
with db.engine().connect() as conn:  # the pool's connection is open before the race
    conn.execute(text("select 1"))
order = []
def slow():
    with db.engine().connect() as conn:
        conn.execute(text("select pg_sleep(0.5)"))
    order.append("slow query done")
def other():
    order.append("other greenlet ran")
gevent.joinall([gevent.spawn(slow), gevent.spawn(other)], timeout=30, raise_error=True)
from psycopg import waiting
print(json.dumps({"order": order, "wait": waiting.wait.__name__}))
"""

# The same for a sign-in's argon2 check, which holds the CPU rather than waiting on a socket.
SIGN_IN = """
import json
from agent_console.commands.console import use_gevent
use_gevent()
import gevent
from agent_console import offload
from hotline import users
from hotline.models import User
user = User(password_hash=users.hash_password("long enough password"))
order = []
def sign_in():
    order.append(f"checked: {offload.call(users.check_password, user, 'long enough password')}")
def other():
    order.append("other greenlet ran")
gevent.joinall([gevent.spawn(sign_in), gevent.spawn(other)], timeout=30, raise_error=True)
print(json.dumps(order))
"""


def _first_line(log) -> str:
    return log.read_text().splitlines()[0]


@pytest.mark.parametrize("server", ["gevent", "threading"])
def test_each_server_pushes_an_event_from_another_process(shared_conf, server):
    port = free_port()
    with console_process(shared_conf, port, server=server) as base:
        assert _first_line(shared_conf.var_dir / f"console-{port}.log").endswith(f"({server})")
        client = socket_client(base, signed_in(base, "agent"))
        got = threading.Event()
        client.on("call.step", lambda data: data["payload"]["step"] == "category" and got.set(),
                  namespace="/live")
        try:
            assert "calls" in client.call("sync", None, namespace="/live", timeout=10)
            subprocess.run([sys.executable, "-c", PUBLISH], env=settings_environ(shared_conf),
                           cwd=ROOT, check=True, timeout=60)
            assert got.wait(15)
        finally:
            client.disconnect()


def test_gevent_console_without_redis_serves_pages_and_sockets(db_url):
    """Embedded events (no Redis), on SQLite and on PostgreSQL."""
    conf = settings.get()
    assert not conf.redis_url
    with db.session_scope() as session:
        users.create_user(session, username="agent", password=PASSWORD, role="agent", extension="101")
    port = free_port()
    with console_process(conf, port) as base:
        assert _first_line(conf.var_dir / f"console-{port}.log").endswith("(gevent)")
        http = signed_in(base, "agent")
        assert http.get(f"{base}/calls", timeout=10).status_code == 200
        client = socket_client(base, http)
        try:
            snapshot = client.call("sync", None, namespace="/live", timeout=10)
            assert snapshot["calls"] == []
        finally:
            client.disconnect()


def test_postgresql_waits_cooperatively_under_the_console_gevent_patch(postgresql_database):
    conf = use_settings(settings.get().replace(database_url=postgresql_database))
    done = subprocess.run([sys.executable, "-c", COOPERATIVE], env=settings_environ(conf), cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["wait"] != "wait_c"  # the C wait blocks the whole process
    assert result["order"] == ["other greenlet ran", "slow query done"]


def test_password_check_leaves_the_gevent_loop_running():
    done = subprocess.run([sys.executable, "-c", SIGN_IN], env=settings_environ(settings.get()),
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == ["other greenlet ran", "checked: True"]


def test_unknown_server_is_refused_in_one_line():
    done = run_command(settings.get(), "console", "--server", "tornado")
    assert done.returncode == 2
    assert "invalid choice: 'tornado'" in done.stderr
    assert "Traceback" not in done.stderr
