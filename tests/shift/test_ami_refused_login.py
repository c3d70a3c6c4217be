"""The AMI bridge's refused login under load: the race that made ``run_ivr.py ami`` exit 1.

Asterisk closes a session whose Login it refused. pyst2's reader thread, seeing that end of file,
closes the socket file and only then clears its "connected" flag; a bridge that logged off in
between wrote to the closed file (ValueError: an internal error, exit 1, instead of LoginRefused
and exit 2). Under load the reader is descheduled in exactly that gap; here it is made to be.
"""
from __future__ import annotations

import socket
import time

import pytest

from ivr import ami, manager
from ivr.sim import ami as fake


class _SlowClose:
    """A socket file whose close() lets other threads run before the reader clears its flag."""

    def __init__(self, handle):
        self.handle = handle

    def __getattr__(self, name):
        return getattr(self.handle, name)

    def __iter__(self):
        return iter(self.handle)

    def close(self):
        self.handle.close()
        time.sleep(0.05)


@pytest.fixture
def slow_reader(monkeypatch):
    def connect(self, host, port=5038):
        raw = socket.create_connection((host, int(port)), timeout=self.timeout)
        raw.settimeout(None)
        self._raw, self._sock = raw, _SlowClose(raw.makefile("rwb"))
        self._connected.set()
        self._running.set()
        self.message_thread.start()
        self.event_dispatch_thread.start()
        return self._response_queue.get()

    monkeypatch.setattr(manager.Manager, "connect", connect)


@pytest.mark.parametrize("attempt", range(5))
def test_refused_login_is_login_refused_even_when_the_reader_closes_first(slow_reader, attempt):
    asterisk = fake.FakeAMI("shakwa", "right")
    try:
        bridge = ami.Bridge("127.0.0.1", asterisk.port, "shakwa", "wrong", timeout=5)
        with pytest.raises(ami.LoginRefused):
            bridge.run()
        assert asterisk.logins == [False]
    finally:
        asterisk.close()
