"""Play Asterisk to the IVR: the fake channel of ``ivr.sim`` over a pipe, a socket pair or TCP.

``simulate-call`` and the tests share this module. Three ways to run a call:
:func:`run_in_process` (the IVR in a thread, FastAGI framing over a socket pair),
:func:`run_process` (``run_ivr.py agi`` as Asterisk forks it: stdin/stdout and SIGHUP) and
:func:`run_fastagi` (a TCP connection to a running ``fastagi`` server).
"""
from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ivr.sim.asterisk import EOF, SIGHUP, FakeAsterisk
from ivr.sim.audio import SoundLibrary
from ivr.sim.caller import Caller, keys as parse_keys

_ids = itertools.count(1)


@dataclass
class Outcome:
    """What a simulated call left behind."""

    sim: FakeAsterisk
    call: object | None = None  # the IVR's CallContext (in-process runs only)
    returncode: int | None = None
    stderr: str = ""


def fake_asterisk(keys: str = "", *, network: bool = True, caller: str = "01001234567",
                  audio: Path | None = None, hangup_at: str | None = None,
                  sounds_dir: Path | None = None, script: str = "hotline", actions=None,
                  language: str = "ar", sounds: SoundLibrary | None = None,
                  **options) -> FakeAsterisk:
    """A fake channel for one call into the hotline with scripted keys (see ``ivr.sim.caller``)."""
    uniqueid = f"{int(time.time())}.{os.getpid() % 100000}{next(_ids):05d}"
    env = {"agi_uniqueid": uniqueid, "agi_language": language,
           "agi_channel": f"PJSIP/trunk-{next(_ids):08x}", "agi_network_script": script}
    if network:
        env["agi_request"] = f"agi://127.0.0.1:4573/{script}"
    who = Caller(actions if actions is not None else parse_keys(keys), number=caller or "unknown",
                 audio=audio)
    sounds = sounds or SoundLibrary(data_dir=sounds_dir, assume=16000)
    return FakeAsterisk(who, network=network, env=env, sounds=sounds, hangup_at=hangup_at, **options)


def drive(sim: FakeAsterisk, read_line: Callable[[], bytes], write: Callable[[bytes], None],
          hang_up_signal: Callable[[], None], close_input: Callable[[], None]) -> None:
    """Send the env block, then answer each command until the script stops talking."""

    def emit(items) -> None:
        for item in items:
            if item == SIGHUP:
                hang_up_signal()
            elif item == EOF:
                close_input()
            else:
                try:
                    write(item)
                except OSError:  # the script is gone; Asterisk would not mind either
                    return

    emit([sim.env_block()])
    while True:
        try:
            line = read_line()
        except OSError:
            line = b""
        if not line:
            break
        emit(sim.handle(line))
    emit(sim.close())


def _drive_socket(sim: FakeAsterisk, sock: socket.socket) -> None:
    reader = sock.makefile("rb")

    def shut() -> None:
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    try:
        drive(sim, reader.readline, sock.sendall, lambda: None, shut)
    finally:
        reader.close()
        sock.close()


def run_in_process(sim: FakeAsterisk, *, clock=None, mode: str = "simulated",
                   script: Callable | None = None) -> Outcome:
    """Run the IVR in a thread of this process against ``sim`` (FastAGI framing); ``script``
    (a FastAGI script: ``script(channel, clock)``) instead of the hotline's call flow."""
    from ivr.agi import Channel
    from ivr.call import system_clock
    from ivr.engine import run_call

    ours, theirs = socket.socketpair()
    outcome = Outcome(sim)

    def ivr_side() -> None:
        reader, writer = theirs.makefile("rb"), theirs.makefile("wb")
        try:
            channel = Channel(reader, writer)
            outcome.call = script(channel, clock or system_clock) if script else \
                run_call(channel, mode=mode, clock=clock or system_clock)
        finally:
            for stream in (reader, writer):
                try:
                    stream.close()
                except OSError:
                    pass
            theirs.close()

    thread = threading.Thread(target=ivr_side, name="ivr-call", daemon=True)
    thread.start()
    _drive_socket(sim, ours)
    thread.join(60)
    return outcome


def run_fastagi(sim: FakeAsterisk, host: str, port: int, timeout: float = 60) -> Outcome:
    """Connect to a FastAGI server as Asterisk does and play the call."""
    sock = socket.create_connection((host, port), timeout=timeout)
    _drive_socket(sim, sock)
    return Outcome(sim)


def run_process(sim: FakeAsterisk, argv: list[str], *, env: dict[str, str] | None = None,
                cwd: str | Path | None = None, timeout: float = 120) -> Outcome:
    """Fork ``argv`` as Asterisk forks an AGI script: env block on stdin, SIGHUP on hang-up."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=cwd)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()

    def write(data: bytes) -> None:
        proc.stdin.write(data)
        proc.stdin.flush()

    def close_input() -> None:
        try:
            proc.stdin.close()
        except OSError:
            pass

    def sighup() -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGHUP)

    try:
        drive(sim, proc.stdout.readline, write, sighup, close_input)
        close_input()
        stderr = proc.stderr.read().decode("utf-8", "replace")
        returncode = proc.wait()
    finally:
        timer.cancel()
    return Outcome(sim, returncode=returncode, stderr=stderr)
