"""Normalisation: whatever Asterisk recorded becomes one canonical format, with its duration.

Canonical: WAV, 16-bit signed PCM, mono, at 8 kHz (telephone audio) or 16 kHz (wideband sources
such as ``sln16`` and ``g722`` keep their bandwidth). Raw formats carry no header, so their rate
is taken from the Asterisk format name, never from pydub's or ffmpeg's 44.1 kHz default.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pydub import AudioSegment
from pydub.exceptions import CouldntDecodeError

from hotline.errors import HotlineError


class AudioError(HotlineError):
    """The file is not usable audio (empty, corrupt, not audio); the original is kept."""


@dataclass(frozen=True)
class Source:
    """How to decode one Asterisk format: ffmpeg demuxer and decoder, or raw PCM at a rate."""

    demuxer: str | None  # None: raw signed 16-bit PCM, decoded in Python
    codec: str | None
    rate: int | None  # a raw format's fixed rate; None when the container says it


def _sln(rate: int) -> Source:
    return Source(None, None, rate)


# Asterisk format names and file extensions (case matters: ".WAV" is WAV49, GSM in a WAV file).
FORMATS: dict[str, Source] = {
    "wav": Source("wav", None, None),
    "wav16": Source("wav", None, None),
    "wav49": Source("wav", "gsm_ms", None),
    "WAV": Source("wav", "gsm_ms", None),
    "gsm": Source("gsm", "gsm", 8000),
    "ulaw": Source("mulaw", "pcm_mulaw", 8000),
    "pcm": Source("mulaw", "pcm_mulaw", 8000),  # Asterisk's .pcm is u-law, not linear PCM
    "ul": Source("mulaw", "pcm_mulaw", 8000),
    "mu": Source("mulaw", "pcm_mulaw", 8000),
    "alaw": Source("alaw", "pcm_alaw", 8000),
    "al": Source("alaw", "pcm_alaw", 8000),
    "g722": Source("g722", "g722", 16000),
    "sln": _sln(8000), "raw": _sln(8000), "sln12": _sln(12000), "sln16": _sln(16000),
    "sln24": _sln(24000), "sln32": _sln(32000), "sln44": _sln(44100), "sln48": _sln(48000),
    "sln96": _sln(96000), "sln192": _sln(192000),
}

# Signatures of files that are surely not headerless audio (raw formats decode any bytes).
_NOT_RAW = (b"RIFF", b"ID3", b"OggS", b"fLaC", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"PK\x03\x04",
            b"GIF8", b"<", b"{", b"#!")


@dataclass(frozen=True)
class Normalised:
    """Canonical WAV bytes and what was measured."""

    wav: bytes
    duration_ms: int
    frame_rate: int
    source_format: str


def format_of(path: Path, source_format: str | None = None) -> str:
    """The Asterisk format of a file: the given name, else its extension."""
    name = source_format or path.suffix.lstrip(".")
    if name in FORMATS:
        return name
    if name.lower() in FORMATS:
        return name.lower()
    known = ", ".join(sorted(FORMATS))
    raise AudioError(f"صيغة تسجيل غير معروفة — unknown recording format {name!r} ({path.name}); "
                     f"known: {known}")


def normalise(path: Path, source_format: str | None = None) -> Normalised:
    """Decode ``path`` and return canonical WAV bytes; AudioError for anything not audio."""
    name = format_of(path, source_format)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AudioError(f"ملف التسجيل غير موجود — recording file not found: {path}") from None
    except OSError as exc:
        raise AudioError(f"cannot read recording {path}: {exc.strerror}") from None
    if not data:
        raise AudioError(f"ملف التسجيل فارغ — recording is empty: {path.name}")
    segment = _decode(data, FORMATS[name], path)
    rate = 16000 if segment.frame_rate >= 16000 else 8000
    segment = segment.set_channels(1).set_sample_width(2).set_frame_rate(rate)
    duration_ms = len(segment)
    if duration_ms <= 0:
        raise AudioError(f"التسجيل لا يحتوي على صوت — recording holds no audio: {path.name}")
    buffer = io.BytesIO()
    segment.export(buffer, format="wav")
    return Normalised(buffer.getvalue(), duration_ms, rate, name)


def _decode(data: bytes, source: Source, path: Path) -> AudioSegment:
    if source.demuxer != "wav" and data.startswith(_NOT_RAW):
        raise AudioError(f"الملف ليس تسجيلا صوتيا — not {path.suffix or 'raw'} audio: {path.name}")
    if source.demuxer is None:
        if len(data) % 2:
            raise AudioError(f"raw 16-bit audio with an odd number of bytes (corrupt): {path.name}")
        return AudioSegment(data=data, sample_width=2, frame_rate=source.rate, channels=1)
    try:
        # A file object, not a name: pydub would read any "*.pcm" name as linear PCM itself.
        segment = AudioSegment.from_file(io.BytesIO(data), format=source.demuxer,
                                         codec=source.codec or _wav_codec(data))
    except (CouldntDecodeError, IndexError, KeyError, ValueError) as exc:
        lines = str(exc).strip().splitlines()
        detail = lines[-1].replace("cache:pipe:0: ", "") if lines else type(exc).__name__
        raise AudioError(f"تعذر فك ترميز التسجيل — cannot decode {path.name} as "
                         f"{source.demuxer}: {detail}") from None
    if source.rate:
        # Headerless input: ffmpeg labelled the samples 44.1 kHz; they are at the format's rate.
        segment = segment._spawn(segment.raw_data, overrides={"frame_rate": source.rate})
    return segment


def _wav_codec(data: bytes) -> str | None:
    """``gsm_ms`` for a WAV49 file named ``.wav``: ffprobe reports 0 bits per sample for it."""
    if data[:4] == b"RIFF" and data[12:16] == b"fmt " and data[20:22] == b"\x31\x00":
        return "gsm_ms"
    return None
