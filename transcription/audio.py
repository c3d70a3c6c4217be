"""Audio as Vosk wants it: 16-bit mono PCM at the model's rate, resampled with pydub.

Recordings reach the engine as the vault's canonical WAV (``recordings.audio`` has already
decoded Asterisk's formats); other containers (a WhatsApp voice note) are left to ffmpeg.
"""
from __future__ import annotations

import io

from hotline.errors import ValidationError


def to_pcm(data: bytes, rate: int) -> tuple[bytes, float]:
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
    segment = segment.set_channels(1).set_sample_width(2).set_frame_rate(rate)
    return segment.raw_data, len(segment) / 1000.0


def silence_pcm(seconds: float, rate: int) -> bytes:
    """Digital silence at ``rate`` Hz (to warm a recognizer up)."""
    return b"\x00\x00" * int(seconds * rate)
