"""Helpers for the recordings tests: a tone in every Asterisk format, spooled recordings."""
from __future__ import annotations

import array
import io
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from pydub import AudioSegment

from hotline import cases, settings
from hotline.models import Recording

TONE_HZ = 440
TONE_MS = 2000

# Asterisk format name -> (file name, ffmpeg output options).
FORMAT_FILES = {
    "wav": ("tone.wav", ["-ar", "8000", "-c:a", "pcm_s16le"]),
    "wav16": ("tone16.wav", ["-ar", "16000", "-c:a", "pcm_s16le"]),
    "wav49": ("tone.WAV", ["-ar", "8000", "-c:a", "libgsm_ms", "-f", "wav"]),
    "gsm": ("tone.gsm", ["-ar", "8000", "-c:a", "libgsm", "-f", "gsm"]),
    "sln": ("tone.sln", ["-ar", "8000", "-f", "s16le"]),
    "sln16": ("tone.sln16", ["-ar", "16000", "-f", "s16le"]),
    "ulaw": ("tone.ulaw", ["-ar", "8000", "-f", "mulaw"]),
    "pcm": ("tone.pcm", ["-ar", "8000", "-f", "mulaw"]),
    "alaw": ("tone.alaw", ["-ar", "8000", "-f", "alaw"]),
}


@pytest.fixture(scope="session")
def tone_dir(tmp_path_factory) -> Path:
    """A 2-second 440 Hz tone written by ffmpeg in every format Asterisk records."""
    folder = tmp_path_factory.mktemp("tones")
    for name, options in FORMAT_FILES.values():
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"sine=frequency={TONE_HZ}:sample_rate=48000:duration={TONE_MS / 1000}",
                        "-ac", "1", *options, str(folder / name)], check=True)
    return folder


def spool_copy(tone_dir: Path, fmt: str) -> Path:
    """Copy the tone in ``fmt`` into the spool, as Asterisk would have written it."""
    name = FORMAT_FILES[fmt][0]
    spool = settings.get().spool_dir
    spool.mkdir(parents=True, exist_ok=True)
    target = spool / f"{uuid.uuid4().hex[:8]}-{name}"
    shutil.copy(tone_dir / name, target)
    return target


def spooled(session, path: Path, fmt: str | None, *, case=None) -> Recording:
    """A Recording row as the IVR makes it before calling intake.accept."""
    recording = Recording(status="spooled", spool_path=str(path), source_format=fmt,
                          case_id=case.id if case is not None else None)
    session.add(recording)
    session.flush()
    return recording


def new_case(session, **fields):
    """A case opened by the IVR."""
    return cases.create_case(session, channel="ivr", actor="ivr", **fields)


def dominant_hz(wav: bytes) -> float:
    """The tone's frequency, from zero crossings (a wrong decoding rate shifts it)."""
    segment = AudioSegment.from_file(io.BytesIO(wav), format="wav")
    samples = array.array("h", segment.raw_data)
    crossings = sum(1 for a, b in zip(samples, samples[1:]) if (a < 0) != (b < 0))
    return crossings / 2 / (len(segment) / 1000)


