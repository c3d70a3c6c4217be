"""The FastAGI port fed garbage, oversized lines and half-open connections: it keeps serving calls."""
from __future__ import annotations

import socket
import threading

import pytest
from hypothesis import given, settings, strategies as st
from sqlalchemy import func, select

from hotline import db
from hotline.models import Call, Case
from ivr import fastagi_server, testing
from ivr.fastagi_server import Server
from tests.fuzz.conftest import FUZZ
from tests.ivr.conftest import COMPLAINT, SUNDAY_10AM

ENV_LINE = st.builds(lambda k, v: b"%s: %s\n" % (k, v), st.sampled_from(
    [b"agi_request", b"agi_network_script", b"agi_uniqueid", b"agi_channel", b"agi_callerid", b"x"]),
    st.binary(max_size=40).filter(lambda b: b"\n" not in b))
garbage = st.one_of(
    st.binary(max_size=300),
    st.lists(ENV_LINE, max_size=6).map(lambda lines: b"".join(lines) + b"\n"),  # env, then silence
    st.lists(ENV_LINE, max_size=6).map(lambda lines: b"".join(lines) + b"\n200 result=0\n\x00\xff\n"))


@pytest.fixture
def server(db_url, monkeypatch):
    monkeypatch.setattr(fastagi_server._Handler, "timeout", 0.5)  # half-open peers go quickly
    running = Server("127.0.0.1", 0, lambda: SUNDAY_10AM)
    running.start()
    yield running
    stopper = threading.Thread(target=running.stop)
    stopper.start()
    stopper.join(30)
    assert not stopper.is_alive(), "the server could not stop: a connection still holds a thread"


def send(port: int, data: bytes, *, close: bool = True) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        sock.sendall(data)
    except OSError:  # the server may drop a peer mid-send (an oversized line)
        pass
    if close:
        try:
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(65536):  # read whatever it answers until it hangs up
                pass
        except OSError:
            pass
        sock.close()
    return sock


def a_real_call_completes(port: int) -> None:
    sim = testing.fake_asterisk(COMPLAINT)
    testing.run_fastagi(sim, "127.0.0.1", port)
    assert sim.said_digits, "the caller never heard a complaint number"
    with db.session_scope() as session:
        call = session.scalar(select(Call).where(Call.uniqueid == sim.env["agi_uniqueid"]))
        assert session.scalar(select(Case).where(Case.call_id == call.id)) is not None


def test_garbage_then_real_calls(server):
    port = server.server_address[1]

    @settings(FUZZ, max_examples=60)
    @given(garbage)
    def fuzz(data):
        send(port, data)

    fuzz()
    a_real_call_completes(port)
    with db.session_scope() as session:  # garbage may open calls, never a case
        assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_oversized_lines_and_half_open_connections(server):
    port = server.server_address[1]
    idle = [send(port, b"agi_request: agi://x/hotline\nagi_chan", close=False) for _ in range(20)]
    idle += [send(port, b"", close=False) for _ in range(5)]  # connect and say nothing
    send(port, b"agi_request: " + b"A" * 300_000)  # one line longer than any AGI line
    send(port, b"agi_request: agi://x/hotline\n\n" + b"9" * 300_000 + b"\n")  # an oversized reply
    a_real_call_completes(port)
    for sock in idle:  # the server has long given up on them; the fixture checks it can stop
        sock.close()
