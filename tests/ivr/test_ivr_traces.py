"""The simulator answers every command of every real Asterisk capture byte for byte."""
from __future__ import annotations

import wave

import pytest

from ivr.sim.asterisk import FakeAsterisk
from ivr.sim.audio import SoundLibrary
from ivr.sim.caller import Caller
from tests.ivr import traces

TRACE_FILES = traces.traces()
LAB = "/srv/agi-lab/rec/"


def test_every_capture_is_here():
    assert len(TRACE_FILES) == 39


def _hung_up_idle(received) -> bool:
    """Asterisk signalled a hang-up after its reply, while no command ran."""
    replies = [r for r in received if isinstance(r, bytes) and r != b"HANGUP\n"]
    if replies and (replies[0].startswith(b"200 result=-1") or b"(hangup)" in replies[0]):
        return False
    first = received.index(replies[0]) if replies else -1
    return any(r in (traces.SIGHUP, b"HANGUP\n") for r in received[first + 1:])


def _replay(path, tmp_path):
    trace = traces.load(path)
    (tmp_path / "rec").mkdir()
    (tmp_path / "sounds").mkdir()
    caller = Caller(traces.caller_actions(trace), number=trace.env["agi_callerid"],
                    name=trace.env["agi_calleridname"])
    sim = FakeAsterisk(caller, network=trace.network, env=trace.env, args=trace.args,
                       sounds=SoundLibrary(traces.sounds(trace), assume=10 ** 6), data_dir=tmp_path,
                       agisighup=trace.agisighup, exit_on_hangup=trace.exit_on_hangup)
    dying = traces.dies_at(trace)
    expected, got = list(trace.before_first), []
    for n, exchange in enumerate(trace.exchanges):
        if sim.alive and (n == dying or _hung_up_idle(trace.before_first if n == 0 else
                                                      trace.exchanges[n - 1].received)):
            got += sim.hang_up()
        got += sim.handle(exchange.command.replace(LAB.encode(), f"{tmp_path}/rec/".encode()))
        expected += exchange.received
    if trace.network and not sim.closed:
        got += sim.close()
    return trace, sim, expected, got


@pytest.mark.parametrize("path", TRACE_FILES, ids=[p.stem for p in TRACE_FILES])
def test_simulator_reproduces_capture(path, tmp_path):
    trace, sim, expected, got = _replay(path, tmp_path)
    assert sim.env_block() == trace.env_block
    assert got == expected


@pytest.mark.parametrize("name", ["classic-record-dtmf-beep", "classic-record-timeout",
                                  "classic-record-silence", "classic-hangup-during-record",
                                  "classic-pyst2-session"])
def test_recordings_are_real_wav_files_with_endpos_samples(name, tmp_path):
    path = traces.TRACES / f"{name}.txt"
    trace, sim, _, got = _replay(path, tmp_path)
    endpos = [int(line.rsplit(b"endpos=", 1)[1]) for line in got
              if isinstance(line, bytes) and b"RECORD" not in line and b") endpos=" in line]
    assert sim.recordings and len(endpos) == len(sim.recordings)
    for recording, samples in zip(sim.recordings, endpos):
        with wave.open(str(recording)) as handle:
            assert (handle.getframerate(), handle.getnchannels(), handle.getsampwidth()) == (8000, 1, 2)
            assert handle.getnframes() == samples
        assert recording.stat().st_size == 44 + 2 * samples
