"""Audio as the engines want it: 16-bit mono PCM at the model's rate.

Recordings reach the engine as the vault's canonical WAV (``recordings.audio`` has already
decoded Asterisk's formats); other containers (a WhatsApp voice note) are left to ffmpeg.
Telephone audio is 8 kHz and the models hear 16 kHz: how it is brought up is the
``transcription_resampler`` setting, "soxr" (SoX's band-limited resampler, in ffmpeg) or "pydub"
(audioop's linear interpolation, which mirrors the telephone band above 4 kHz as noise).
bench/transcription_arabic.py measures both.
"""
from __future__ import annotations

import io
import subprocess

from hotline.errors import ValidationError

RESAMPLERS = ("soxr", "pydub")
_SOXR = "aresample=resampler=soxr:precision=28"


def to_pcm(data: bytes, rate: int, resampler: str = "soxr") -> tuple[bytes, float]:
    """``data`` (WAV or any container ffmpeg reads) as 16-bit mono PCM at ``rate`` Hz, and seconds."""
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError

    if not data:
        raise ValidationError("no audio to transcribe (empty file)")
    try:
        # WAV is read in Python; anything else goes through ffmpeg, which finds the format itself.
        segment = AudioSegment.from_file(io.BytesIO(data), format="wav" if data[:4] == b"RIFF" else None)
    except (CouldntDecodeError, IndexError, KeyError, ValueError) as exc:
        lines = str(exc).strip().splitlines()
        raise ValidationError(f"cannot decode audio: {lines[-1] if lines else type(exc).__name__}") from None
    segment = segment.set_channels(1).set_sample_width(2)
    return resample(segment.raw_data, segment.frame_rate, rate, resampler), len(segment) / 1000.0


def resample(pcm: bytes, source: int, target: int, resampler: str = "soxr") -> bytes:
    """16-bit mono PCM from ``source`` Hz to ``target`` Hz with the named resampler."""
    if source == target or not pcm:
        return pcm
    if resampler == "pydub":
        from pydub import AudioSegment

        segment = AudioSegment(pcm, sample_width=2, frame_rate=source, channels=1)
        return segment.set_frame_rate(target).raw_data
    if resampler != "soxr":
        raise ValueError(f"unknown resampler {resampler!r}: choose from {RESAMPLERS}")
    done = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "s16le", "-ar", str(source), "-ac", "1",
         "-i", "pipe:0", "-af", _SOXR, "-ar", str(target), "-f", "s16le", "pipe:1"],
        input=pcm, capture_output=True, timeout=300)
    if done.returncode != 0:
        raise ValidationError(f"cannot resample audio: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def silence_pcm(seconds: float, rate: int) -> bytes:
    """Digital silence at ``rate`` Hz (to warm a recognizer up)."""
    return b"\x00\x00" * int(seconds * rate)
