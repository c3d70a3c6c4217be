"""The pyst2 adapter: every form of hang-up is one CallerHungUp; pyst2's Python 3 faults are fixed."""
from __future__ import annotations

import io
import socket
import threading

import pytest

from ivr.agi import Channel
from ivr.errors import CallerHungUp, PromptMissing
from ivr.sim.asterisk import FakeAsterisk
from ivr.sim.audio import SoundLibrary
from ivr.sim.caller import Caller, HangUp, Silence, Speak
from ivr.testing import drive


def _session(sim, script):
    """Run ``script(channel)`` against ``sim`` over a socket pair; returns what it returned or raised."""
    ours, theirs = socket.socketpair()
    result = {}

    def ivr():
        channel = Channel(theirs.makefile("rb"), theirs.makefile("wb"))
        try:
            result["value"] = script(channel)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            result["error"] = exc
        theirs.shutdown(socket.SHUT_RDWR)  # the file objects keep the socket open otherwise
        theirs.close()

    thread = threading.Thread(target=ivr)  # not the main thread: pyst2 itself would fail here
    thread.start()
    reader = ours.makefile("rb")
    drive(sim, reader.readline, ours.sendall, lambda: None, lambda: ours.shutdown(socket.SHUT_WR))
    thread.join(10)
    ours.close()
    return result


def test_hangup_reply_and_hangup_line_raise_caller_hung_up():
    sim = FakeAsterisk(Caller([HangUp(at_ms=100)]), network=True)
    result = _session(sim, lambda ch: ch.get_data("/x/prompt", 1000, 4))
    assert isinstance(result["error"], CallerHungUp)


def test_dead_channel_511_raises_caller_hung_up():
    sim = FakeAsterisk(Caller([HangUp()]), network=True, agisighup=False)

    def script(ch):
        try:
            ch.stream_file("/x/welcome", "1")
        except CallerHungUp:
            pass
        return ch.wait_for_digit(1000)

    assert isinstance(_session(sim, script)["error"], CallerHungUp)


def test_record_hangup_and_timeout():
    sim = FakeAsterisk(Caller([Speak(samples=800, end="timeout", leftover_ms=0)]), network=True)
    assert _session(sim, lambda ch: ch.record_file("/tmp/x-adapter", "sln"))["value"] == ""  # not '\x00'
    sim = FakeAsterisk(Caller([Speak(samples=800, end="hangup")]), network=True)
    assert isinstance(_session(sim, lambda ch: ch.record("/tmp/x-adapter", "sln"))["error"], CallerHungUp)


def test_missing_prompt_is_not_a_hangup():
    sim = FakeAsterisk(Caller([Silence()]), network=True, sounds=SoundLibrary({}))
    result = _session(sim, lambda ch: ch.stream_file("/nowhere/prompt"))
    assert isinstance(result["error"], PromptMissing)
    assert sim.commands[-1] == "CHANNEL STATUS" and sim.alive


def test_quotes_and_backslashes_are_escaped():
    sim = FakeAsterisk(network=True)
    _session(sim, lambda ch: ch.set_variable("NOTE", 'say "hi" \\ bye'))
    assert sim.variables["NOTE"] == 'say "hi" \\ bye'


def test_end_of_input_and_broken_pipe_are_hangups():
    with pytest.raises(CallerHungUp):
        Channel(io.BytesIO(b"agi_request: x\n"), io.BytesIO())
    channel = Channel(io.BytesIO(b"agi_request: x\n\n"), io.BytesIO())
    channel.stdout.close()
    with pytest.raises(CallerHungUp):
        channel.answer()


def test_nothing_is_written_to_stderr(capsys):
    sim = FakeAsterisk(network=True)
    _session(sim, lambda ch: (ch.answer(), ch.verbose("hello"), ch.get_variable("CALLERID(num)")))
    assert capsys.readouterr().err == ""
