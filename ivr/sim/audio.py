"""Sounds the fake Asterisk plays (their length in 8 kHz samples) and files RECORD FILE writes."""
from __future__ import annotations

import math
import os
import shutil
import subprocess
import wave
from pathlib import Path

RATE = 8000
# RECORD FILE formats and the file name extension Asterisk gives each (wav49 is upper case).
FORMATS = {"wav": "wav", "sln": "sln", "gsm": "gsm", "wav49": "WAV"}


class SoundLibrary:
    """Where prompts are found and how long they are.

    ``lengths`` names sounds directly (as the traces do); otherwise an absolute path is looked up
    on disk (``.wav``/``.sln``), a relative name under ``<data_dir>/sounds/<language>/``; with
    ``assume`` every other name without an extension exists with that many samples.
    """

    def __init__(self, lengths: dict[str, int] | None = None, *, data_dir: Path | None = None,
                 assume: int | None = None):
        self.lengths = dict(lengths or {})
        self.data_dir, self.assume = data_dir, assume

    def samples(self, name: str, language: str = "en") -> int | None:
        """The length of sound ``name`` in samples, or None when Asterisk would not find it."""
        if name in self.lengths:
            return self.lengths[name]
        if "." in os.path.basename(name):  # Asterisk wants names without an extension
            return None
        base = Path(name) if os.path.isabs(name) else (
            self.data_dir / "sounds" / language / name if self.data_dir else None)
        if base is not None:
            found = _length_on_disk(base)
            if found is not None:
                return found
        return self.assume


def _length_on_disk(base: Path) -> int | None:
    wav = base.with_name(base.name + ".wav")
    if wav.is_file():
        try:
            with wave.open(str(wav)) as handle:
                return handle.getnframes() * RATE // handle.getframerate()
        except (wave.Error, EOFError):
            return None
    sln = base.with_name(base.name + ".sln")
    return sln.stat().st_size // 2 if sln.is_file() else None


def speech(seconds: float = 3.0) -> bytes:
    """A voice-like test signal (a warbling tone), 16-bit mono 8 kHz PCM."""
    frames = bytearray()
    for n in range(int(seconds * RATE)):
        t = n / RATE
        value = 0.3 * math.sin(2 * math.pi * (220 + 60 * math.sin(2 * math.pi * 3 * t)) * t)
        frames += int(value * 32767).to_bytes(2, "little", signed=True)
    return bytes(frames)


def load_pcm(path: Path) -> bytes:
    """A WAV file's audio as 16-bit mono 8 kHz PCM (converted with pydub when it is not)."""
    with wave.open(str(path)) as handle:
        if (handle.getframerate(), handle.getnchannels(), handle.getsampwidth()) == (RATE, 1, 2):
            return handle.readframes(handle.getnframes())
    from pydub import AudioSegment

    segment = AudioSegment.from_file(str(path)).set_frame_rate(RATE).set_channels(1).set_sample_width(2)
    return segment.raw_data


def fit(pcm: bytes, samples: int) -> bytes:
    """``pcm`` cut or padded with silence to exactly ``samples`` samples."""
    data = pcm[: samples * 2]
    return data + b"\x00" * (samples * 2 - len(data))


def write_recording(path: Path, fmt: str, pcm: bytes) -> None:
    """Write ``pcm`` as Asterisk writes format ``fmt`` at ``path`` (extension included)."""
    if fmt == "wav":
        with wave.open(str(path), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(RATE)
            handle.writeframes(pcm)
    elif fmt == "sln":
        path.write_bytes(pcm)
    else:  # gsm / wav49: GSM 6.10, encoded by sox as Asterisk's codec would
        sox = shutil.which("sox")
        if sox is None:
            raise OSError("sox is needed to write GSM recordings")
        kind = ["-t", "gsm"] if fmt == "gsm" else ["-t", "wav", "-e", "gsm-full-rate"]
        subprocess.run([sox, "-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1", "-",
                        *kind, str(path)], input=pcm, check=True, capture_output=True)
