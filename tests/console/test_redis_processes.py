"""Two real console processes on Redis: an event published by a third process reaches both."""
from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from tests.conftest import ROOT, settings_environ
from tests.console.servers import console_process, free_port, signed_in, socket_client

PUBLISH = """
from hotline import events
events.publish(events.Event("call.step", call_id=42, payload={"seq": 3, "step": "governorate"}))
"""


def test_event_from_another_process_reaches_clients_of_both_consoles(shared_conf):
    import socketio

    with console_process(shared_conf, free_port()) as first, console_process(shared_conf, free_port()) as second:
        with pytest.raises(socketio.exceptions.ConnectionError):
            socket_client(first, None)  # no session, no socket
        got = {first: threading.Event(), second: threading.Event()}
        clients = []
        for base in (first, second):
            client = socket_client(base, signed_in(base, "agent"))
            client.on("call.step", lambda data, base=base: data["payload"]["step"] == "governorate"
                      and got[base].set(), namespace="/live")
            clients.append(client)
        try:
            # The clients are in their rooms once the server answered an event.
            for client in clients:
                assert "calls" in client.call("sync", None, namespace="/live", timeout=10)
            subprocess.run([sys.executable, "-c", PUBLISH], env=settings_environ(shared_conf),
                           cwd=ROOT, check=True, timeout=60)
            assert got[first].wait(15) and got[second].wait(15)
        finally:
            for client in clients:
                client.disconnect()
