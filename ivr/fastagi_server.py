"""The FastAGI server: one thread per call, dispatch on ``agi_network_script``, graceful stop.

Asterisk connects once per call (``AGI(agi://host:4573/hotline)``); the path after the port picks
the script. ``stop()`` stops accepting and waits for the calls in progress to finish.
"""
from __future__ import annotations

import logging
import socket
import socketserver
import threading
from typing import Callable

from ivr.agi import Channel
from ivr.errors import CallerHungUp, ProtocolError

log = logging.getLogger(__name__)


def _hotline(agi: Channel, clock) -> None:
    from ivr.engine import run_call

    run_call(agi, mode="fastagi", clock=clock)


def _survey(agi: Channel, clock) -> None:
    from ivr import survey

    survey.run(agi, clock)


SCRIPTS: dict[str, Callable[[Channel, object], None]] = {"hotline": _hotline, "survey": _survey}


class _Handler(socketserver.StreamRequestHandler):
    # Asterisk sends the env block at once; a peer that does not is not Asterisk, and must not
    # hold a thread (and a clean stop) forever. During the call replies may take minutes
    # (RECORD FILE, Queue), so then only TCP keep-alive watches for a vanished host.
    timeout = 10.0

    def handle(self) -> None:
        try:
            agi = Channel(self.rfile, self.wfile)
        except (CallerHungUp, ProtocolError):
            return
        self.connection.settimeout(None)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        script = agi.env.get("agi_network_script", "").split("?", 1)[0].strip("/") or "hotline"
        run = SCRIPTS.get(script)
        if run is None:
            log.warning("FastAGI: unknown script %r from %s", script, agi.env.get("agi_channel"))
            from ivr.engine import fail_over

            fail_over(agi)
            return
        try:
            run(agi, self.server.clock)
        except Exception:  # run_call never raises; this guards a script added later
            log.exception("FastAGI script %s failed", script)


class Server(socketserver.ThreadingTCPServer):
    """A threaded FastAGI server; ``server_close`` joins the calls in progress."""

    allow_reuse_address = True
    daemon_threads = False
    block_on_close = True
    request_queue_size = 1024

    def __init__(self, host: str, port: int, clock):
        self.clock = clock
        super().__init__((host, port), _Handler)

    def start(self) -> threading.Thread:
        """Serve in a background thread."""
        thread = threading.Thread(target=self.serve_forever, name="fastagi", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Stop accepting calls and wait for the calls in progress to end."""
        self.shutdown()
        self.server_close()
