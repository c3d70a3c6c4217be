"""Paced callers for ``bench/fastagi_load.py --paced``: fake Asterisk channels in real time.

Each call is an ``ivr.sim`` channel over an asyncio connection: a prompt takes its real length
(the rendered WAV), a key comes a human delay into the prompt that it stops, a number is typed
at a phone's pace, a spoken complaint takes its length. What is measured is the IVR's side: from
the moment a reply carrying a caller's key is sent to the moment the next command arrives.
"""
from __future__ import annotations

import asyncio
import random
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

KEYS = "1 1 1 1 29001011234567# 1 # 3 -"
_RESULT = re.compile(rb"^200 result=(\S*)(?: \((\w+)\))?(?: endpos=(\d+))?")
DIGIT_GAP = 0.35  # seconds between the keys of a typed number (SendDTMF's 100 ms + 250 ms)
SPOKEN_SECONDS = 30.0  # a complaint and its address, as callers say them


@dataclass
class Report:
    """What the paced run saw."""

    after_key: list[float] = field(default_factory=list)
    slowest: list[tuple[float, str, str]] = field(default_factory=list)  # (s, key's command, next)
    active: int = 0
    peak: int = 0
    done: int = 0


def run(port: int, n: int, rate: float, seed: int, sounds_dir: Path, latencies: list,
        errors: list, spoken_seconds: float = SPOKEN_SECONDS) -> Report:
    """Place ``n`` calls arriving at ``rate`` a second; returns when all have ended."""
    from ivr.sim import audio

    spoken = Path(tempfile.mkdtemp()) / "complaint.wav"
    audio.write_recording(spoken, "wav", audio.speech(spoken_seconds))
    report = Report()
    asyncio.run(_arrivals(port, n, rate, random.Random(seed), spoken, report, latencies, errors))
    return report


async def _arrivals(port, n, rate, rng, spoken, report, latencies, errors) -> None:
    calls = []
    for _ in range(n):
        calls.append(asyncio.create_task(_call(port, rng, spoken, report, latencies, errors)))
        await asyncio.sleep(rng.expovariate(rate))  # Poisson arrivals
    await asyncio.gather(*calls)


def _human(rng: random.Random) -> float:
    """How long into a prompt a caller who knows the answer presses the key."""
    return rng.uniform(0.6, 2.5)


def _timing(sim, command: bytes, reply: bytes, rng: random.Random) -> tuple[float, bool]:
    """(seconds the command takes in real time, whether its reply carries the caller's key)."""
    match = _RESULT.match(reply)
    if not match:
        return 0.0, False
    result, data, endpos = match.group(1), match.group(2), match.group(3)
    words = command.split(b" ")
    verb = b" ".join(words[:2])
    if verb == b"STREAM FILE":
        length = int(endpos or 0) / 8000
        if result not in (b"0", b"-1"):  # stopped by a key
            return min(length, _human(rng)), True
        return length, False
    if verb == b"GET DATA":
        prompt = words[2].strip(b'"').decode()
        length = (sim.sounds.samples(prompt) or 0) / 8000 if prompt else 0.0
        if data == b"timeout":
            return length + int(words[3]) / 1000, False
        if result:
            return min(length, _human(rng)) + DIGIT_GAP * (len(result) - 1) if length else \
                DIGIT_GAP * len(result), True
        return 0.1, True  # '#' alone
    if verb == b"RECORD FILE":
        return 0.25 + int(endpos or 0) / 8000, data == b"dtmf"
    return 0.0, False


async def _call(port, rng, spoken, report, latencies, errors) -> None:
    from ivr import testing
    from ivr.sim.asterisk import EOF

    sim = testing.fake_asterisk(KEYS, audio=spoken)
    report.active += 1
    report.peak = max(report.peak, report.active)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(sim.env_block())
        await writer.drain()
        sent, keyed, previous = None, False, b""
        while True:
            line = await asyncio.wait_for(reader.readline(), 600)
            if not line:
                break
            now = time.perf_counter()
            if sent is not None:
                latencies.append(now - sent)
                if keyed:
                    report.after_key.append(now - sent)
                    report.slowest.append((now - sent, previous.decode()[:60], line.decode()[:60].strip()))
                    report.slowest = sorted(report.slowest, reverse=True)[:8]
            previous = line
            items = sim.handle(line)
            replies = [item for item in items if isinstance(item, bytes)]
            delay, keyed = _timing(sim, line.rstrip(b"\n"), replies[0], rng) if replies else (0.0, False)
            if delay:
                await asyncio.sleep(delay)
            for item in items:
                if isinstance(item, bytes):
                    writer.write(item)
                elif item == EOF:
                    writer.write_eof()
            await writer.drain()
            sent = time.perf_counter()
        for item in sim.close():
            if isinstance(item, bytes):
                writer.write(item)
        writer.close()
        if sim.steps[-1:] != ["goodbye"]:
            errors.append(f"call ended in {sim.steps[-1:]}")
    except Exception as exc:  # counted, not raised: the figure is how many fail
        errors.append(repr(exc))
    finally:
        report.active -= 1
        report.done += 1
