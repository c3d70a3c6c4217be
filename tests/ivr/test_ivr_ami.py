"""The AMI bridge against a fake AMI server on loopback: events, ids, login, reconnect, SIGTERM."""
from __future__ import annotations

import re

import json
import signal
import subprocess
import sys
import threading
import time

import pytest
import redis
from sqlalchemy import select

from hotline import db, events, settings
from hotline.models import Call, Case
from ivr import ami
from ivr.manager import Manager, Message
from ivr.sim import ami as fake
from tests.conftest import ROOT, settings_environ
from tests.ivr.conftest import COMPLAINT

SECRET = "s3cret-for-tests"


@pytest.fixture
def asterisk():
    """A fake Asterisk AMI on a free loopback port."""
    server = fake.FakeAMI(username="shakwa", secret=SECRET)
    yield server
    server.close()


@pytest.fixture
def bridge(asterisk):
    """The bridge running in a thread, logged in; stopped (and logged off) after the test."""
    running = ami.Bridge("127.0.0.1", asterisk.port, "shakwa", SECRET, timeout=5,
                         backoff=(0.1, 0.5), hangup_grace=0)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    assert asterisk.wait_logged_in()
    yield running
    running.stop()
    thread.join(10)
    assert not thread.is_alive()


def wait_for(published: list, kind: str, count: int = 1, timeout: float = 10) -> list:
    """The published events of type ``kind``, once ``count`` have arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events.wait_dispatched()
        found = [event for event in published if event.type == kind]
        if len(found) >= count:
            return found
        time.sleep(0.02)
    raise AssertionError(f"no {kind} among {[event.type for event in published]}")


def queued_call(place_call) -> tuple[str, int, int]:
    """A complaint call that then asks for an agent: (agi_uniqueid, call id, case id)."""
    sim, call = place_call(COMPLAINT + " 0")
    with db.session_scope() as session:
        row = session.scalar(select(Call).where(Call.uniqueid == sim.env["agi_uniqueid"]))
        case_id = session.scalar(select(Case.id).where(Case.call_id == row.id))
        assert row.outcome == "queued" and case_id
        return row.uniqueid, row.id, case_id


def test_agent_connect_pops_the_case_on_the_agent(db_url, place_call, asterisk, bridge, published):
    uniqueid, call_id, case_id = queued_call(place_call)
    asterisk.emit(fake.queue_caller_join(uniqueid, position=2, count=2))
    asterisk.emit(fake.agent_connect(uniqueid, "Local/1001@agents/n", hold_time=17))

    joined = wait_for(published, "queue.caller_join")[0]
    assert (joined.call_id, joined.case_id) == (call_id, case_id)
    assert joined.payload == {"uniqueid": uniqueid, "queue": "hotline", "position": 2}
    connected = wait_for(published, "queue.agent_connect")[0]
    assert (connected.call_id, connected.case_id) == (call_id, case_id)
    assert connected.payload["agent"] == "1001" and connected.payload["hold_time"] == 17
    assert connected.rooms() == ["perm:calls.view_live"]
    assert "01001234567" not in json.dumps(connected.to_dict())  # no caller number in events


def test_agent_connect_reaches_the_redis_stream(db_url, redis_url, place_call, asterisk, bridge):
    settings.install(settings.get().replace(database_url=db_url))  # redis_url re-installed defaults
    uniqueid, call_id, _case_id = queued_call(place_call)
    asterisk.emit(fake.agent_connect(uniqueid, "PJSIP/1002"))
    client = redis.Redis.from_url(redis_url)
    deadline, found = time.monotonic() + 10, []
    while not found and time.monotonic() < deadline:
        entries = [json.loads(fields[b"event"]) for _id, fields in client.xrange(events.STREAM)]
        found = [entry for entry in entries if entry["type"] == "queue.agent_connect"]
        time.sleep(0.05)
    assert found and found[0]["call_id"] == call_id and found[0]["payload"]["agent"] == "1002"


def test_linkedid_maps_the_agent_leg_and_unknown_calls_still_publish(db_url, place_call, asterisk,
                                                                    bridge, published):
    uniqueid, call_id, _case_id = queued_call(place_call)
    # A channel created after ours (a Local channel in front of the queue) has our call as Linkedid.
    asterisk.emit(fake.agent_connect("1733400099.7", "PJSIP/1003", linkedid=uniqueid))
    asterisk.emit(fake.queue_caller_abandon("1733400555.1", hold_time=40))
    assert wait_for(published, "queue.agent_connect")[0].call_id == call_id
    abandon = wait_for(published, "queue.caller_abandon")[0]
    assert abandon.call_id is None and abandon.payload["hold_time"] == 40


def test_hangup_ends_only_calls_the_ivr_did_not(db_url, place_call, asterisk, bridge, published):
    finished, finished_id, _case = queued_call(place_call)  # the IVR closed this one
    events.wait_dispatched()  # the IVR's own call.ended lands in ``published`` before ``before``
    with db.session_scope() as session:
        open_call = Call(uniqueid="1733400777.3", channel="PJSIP/trunk-00000009", mode="agi",
                         language="ar", outcome="queued")
        session.add(open_call)
        session.flush()
        open_id = open_call.id
    before = len(published)
    for uniqueid in (finished, "1733400777.3", "1733400888.4"):  # the last: an agent's channel
        asterisk.emit(fake.hangup(uniqueid))
    ended = wait_for(published, "call.ended", count=1)
    time.sleep(0.3)
    events.wait_dispatched()
    mine = [event for event in published[before:] if event.type.startswith("call.")]
    assert [(event.type, event.call_id) for event in mine] == [("call.hung_up", open_id), ("call.ended", open_id)]
    assert ended[-1].payload["outcome"] == "queued"
    with db.session_scope() as session:
        row = session.get(Call, open_id)
        assert row.ended_at is not None and row.hung_up
        assert session.get(Call, finished_id).ended_at is not None


def test_chanvariable_headers_do_not_stop_the_bridge(db_url, asterisk, bridge, published):
    # pyst2's own parser calls dict.has_key on these and its reader thread dies.
    asterisk.emit([("Event", "VarSet"), ("Privilege", "dialplan,all"), ("ChanVariable", "SHAKWA_CALL_ID=4"),
                   ("DestChanVariable", "SHAKWA_CASE=2500000017")])
    asterisk.emit(fake.queue_caller_join("1733400111.1"))
    assert wait_for(published, "queue.caller_join")[0].payload["uniqueid"] == "1733400111.1"


def test_parser_keeps_each_partys_channel_variables():
    parsed = Message(["Event: AgentConnect\r\n", "ChanVariable: A=1\r\n", "ChanVariable: B=2\r\n",
                      "DestChanVariable: A=3\r\n"])
    assert parsed.headers["ChanVariable"] == {"A": "1", "B": "2"}
    assert parsed.headers["DestChanVariable"] == {"A": "3"}


def test_reconnects_when_asterisk_restarts(db_url, asterisk, bridge, published):
    asterisk.restart(down_for=0.6)  # connections refused a while: the bridge backs off and retries
    assert asterisk.wait_logged_in(count=2)
    asterisk.emit(fake.queue_caller_join("1733400222.2"))
    assert wait_for(published, "queue.caller_join")[0].payload["uniqueid"] == "1733400222.2"
    assert bridge.sessions == 2


def test_bad_login_is_a_clear_error(asterisk):
    refused = ami.Bridge("127.0.0.1", asterisk.port, "shakwa", "wrong", timeout=5)
    with pytest.raises(ami.LoginRefused, match="refused the login of AMI user 'shakwa'"):
        refused.run()
    assert asterisk.logins == [False]


def test_not_an_ami_server_is_retried_not_hung(isolated_settings):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never greets
        manager = Manager(timeout=0.5)
        with pytest.raises(ami.ManagerException):
            manager.connect("127.0.0.1", silent.getsockname()[1])


@pytest.mark.parametrize("interface, extension", [("PJSIP/1001", "1001"), ("Local/1001@agents/n", "1001"),
                                                 ("SIP/2002", "2002"), ("Agent/3003", "3003")])
def test_interface_to_extension(interface, extension):
    assert ami.extension(interface) == extension


def _ami_process(conf, port: int, secret: str) -> subprocess.Popen:
    env = {**settings_environ(conf), "HOTLINE_AMI_PORT": str(port), "HOTLINE_AMI_SECRET": secret}
    return subprocess.Popen([sys.executable, str(ROOT / "run_ivr.py"), "ami"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=conf.var_dir.parent)


def test_command_bad_login_exits_non_zero(db_url, asterisk):
    done = _ami_process(settings.get(), asterisk.port, "wrong")
    out, err = done.communicate(timeout=60)
    assert done.returncode == 2, f"exit {done.returncode}, stderr:\n{err}"
    assert "refused the login" in err and "Traceback" not in err, err


def test_command_without_secret_exits_non_zero(db_url, asterisk):
    done = _ami_process(settings.get(), asterisk.port, "")
    out, err = done.communicate(timeout=60)
    assert done.returncode == 2 and "ami_secret: not set" in err


def test_command_stops_cleanly_on_sigterm(db_url, asterisk):
    process = _ami_process(settings.get(), asterisk.port, SECRET)
    try:
        assert asterisk.wait_logged_in(timeout=60)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "ami: stopped" in out and "Traceback" not in err
    assert asterisk.wait_action("Logoff", timeout=1)


def test_render_dialplan_writes_the_ami_user_of_the_settings(isolated_settings, tmp_path):
    env = {**settings_environ(isolated_settings), "HOTLINE_AMI_SECRET": "from-settings",
           "HOTLINE_AMI_PORT": "5039"}
    done = subprocess.run([sys.executable, str(ROOT / "run_ivr.py"), "render-dialplan", "--output",
                           str(tmp_path / "asterisk")], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    manager_conf = (tmp_path / "asterisk" / "manager.conf").read_text()
    assert "[shakwa]" in manager_conf and "secret = from-settings" in manager_conf
    # An included manager.conf's [general] is ignored by Asterisk: the port is for the main file.
    assert not re.search(r"^\[general\]", manager_conf, re.M) and "port = 5039" in done.stdout


def test_agi_fast_start_options_match_its_parser():
    """A bare `run_ivr.py agi` skips argparse: NO_OPTIONS must be what the parser gives for no options."""
    import argparse

    from ivr.commands import agi

    parser = argparse.ArgumentParser()
    agi.configure(parser)
    assert vars(parser.parse_args([])) == vars(agi.NO_OPTIONS)
