"""Korean speech made at test time with espeak-ng, in the formats Asterisk records."""
from __future__ import annotations

import io
import subprocess
import unicodedata
from pathlib import Path

from pydub import AudioSegment

from arabic_speech import distance  # tests/transcription is on sys.path

# Sentences of different topics, so a transcript is nearer its own sentence than the others.
SENTENCES = [
    "오늘 아침에 우리 동네 길에 쓰레기가 너무 많이 쌓여 있어서 냄새가 심합니다 빨리 치워 주세요",
    "수도에서 물이 나오지 않은 지 삼 일이 되었습니다 아이들이 씻을 수가 없어요",
    "밤마다 전기가 끊어져서 냉장고 음식이 상하고 있습니다 도와주세요",
    "학교 앞 도로에 큰 구멍이 생겨서 자동차와 학생들이 위험합니다",
]


def telephone(text: str, pause_seconds: float = 0.0) -> AudioSegment:
    """``text`` spoken by espeak-ng, as 8 kHz 16-bit mono telephone audio."""
    wav = subprocess.run(["espeak-ng", "-v", "ko", "--stdout", text], check=True,
                         capture_output=True, timeout=60).stdout
    segment = AudioSegment.from_file(io.BytesIO(wav), format="wav")
    segment = segment.set_frame_rate(8000).set_channels(1).set_sample_width(2)
    if pause_seconds:
        segment = AudioSegment.silent(int(pause_seconds * 1000), frame_rate=8000) + segment
    return segment


def write(segment: AudioSegment, folder: Path, name: str, fmt: str) -> Path:
    """The audio written as Asterisk would: wav, sln (raw 16-bit) or gsm (raw GSM 06.10)."""
    path = folder / f"{name}.{fmt}"
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "wav":
        segment.export(path, format="wav")
    elif fmt == "sln":
        path.write_bytes(segment.raw_data)
    elif fmt == "gsm":
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "s16le", "-ar", "8000",
                        "-ac", "1", "-i", "-", "-c:a", "libgsm", "-f", "gsm", str(path)],
                       input=segment.raw_data, check=True, capture_output=True, timeout=60)
    else:
        raise ValueError(fmt)
    return path


def silence(seconds: float) -> AudioSegment:
    """Digital silence at 8 kHz."""
    return AudioSegment.silent(int(seconds * 1000), frame_rate=8000).set_sample_width(2)


def cer(hypothesis: str, reference: str) -> float:
    """Character error rate over Hangul letters (jamo), spaces ignored."""
    def letters(text: str) -> str:
        return unicodedata.normalize("NFD", text.replace(" ", ""))

    return distance(letters(hypothesis), letters(reference)) / len(letters(reference))
