"""Arabic speech for the Whisper tests and bench/transcription_arabic.py: the project's own
evaluation set, spoken by espeak-ng, carried over a telephone line, and scored.

espeak-ng is the only Arabic voice that installs here (Debian's mbrola voices are non-free and
Piper's come from a model hub); its variants give a male and a female timbre. A formant voice
is far from a caller on a street in Shubra: what is measured on it is a floor, not the truth.
"""
from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydub import AudioSegment

from hotline import arabic, number_words

ROOT = Path(__file__).resolve().parents[2]
EVALUATION_SET = ROOT / "bench" / "data" / "arabic_complaints.yaml"
VOICES = ("ar", "ar+f2")  # espeak-ng's Arabic voice, and the same with a female variant
SPEED = 140  # words per minute: at its 175, espeak-ng drops Arabic syllables (CER 0.59 vs 0.54, 3 sentences)


@dataclass(frozen=True)
class Complaint:
    """One sentence of the evaluation set."""

    category: str
    text: str
    numbers: tuple[str, ...] = ()


def complaints() -> list[Complaint]:
    """The evaluation set, in file order."""
    items = yaml.safe_load(EVALUATION_SET.read_text(encoding="utf-8"))["complaints"]
    return [Complaint(item["category"], item["text"], tuple(item.get("numbers", ()))) for item in items]


def speak(text: str, voice: str = "ar", speed: int = SPEED) -> AudioSegment:
    """``text`` spoken by espeak-ng at its own rate (22.05 kHz), 16-bit mono."""
    wav = subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text],
                         check=True, capture_output=True, timeout=60).stdout
    return AudioSegment.from_file(io.BytesIO(wav), format="wav").set_channels(1).set_sample_width(2)


def telephone_line(segment: AudioSegment) -> bytes:
    """What Asterisk records of ``segment`` over a G.711 call, as the vault's canonical WAV:
    the 300-3400 Hz telephone band, 8 kHz, mu-law companding."""
    done = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "s16le", "-ar", str(segment.frame_rate),
         "-ac", "1", "-i", "pipe:0", "-af", "highpass=f=300,lowpass=f=3400",
         "-ar", "8000", "-c:a", "pcm_mulaw", "-f", "wav", "pipe:1"],
        input=segment.raw_data, check=True, capture_output=True, timeout=60).stdout
    return _wav(AudioSegment.from_file(io.BytesIO(done), format="wav").set_sample_width(2))


def narrowband(segment: AudioSegment) -> bytes:
    """``segment`` at 8 kHz (SoX's resampler), with no telephone filter or companding."""
    from transcription import audio

    return _wav(AudioSegment(audio.resample(segment.raw_data, segment.frame_rate, 8000),
                             sample_width=2, frame_rate=8000, channels=1))


def wideband(segment: AudioSegment) -> bytes:
    """``segment`` as a 16 kHz WAV: the same speech without the telephone line (a ceiling)."""
    return _wav(segment.set_frame_rate(16000))


def _wav(segment: AudioSegment) -> bytes:
    return segment.export(io.BytesIO(), format="wav").getvalue()


def folded(text: str) -> str:
    """Text as it is scored: spoken numbers as digits, then the project's Arabic normalisation."""
    return arabic.normalise(number_words.to_digits(text or ""))


def distance(a: list, b: list) -> int:
    """Levenshtein distance between two sequences."""
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, 1):
        current = [i]
        for j, right in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right)))
        previous = current
    return previous[-1]


def errors(hypothesis: str, reference: str) -> tuple[int, int, int, int]:
    """(character edits, reference characters, word edits, reference words) after folding."""
    hyp, ref = folded(hypothesis), folded(reference)
    return (distance(list(hyp), list(ref)), len(ref),
            distance(hyp.split(), ref.split()), len(ref.split()))


def cer(hypothesis: str, reference: str) -> float:
    """Character error rate of one transcript, after folding."""
    edits, length, _words, _count = errors(hypothesis, reference)
    return edits / max(length, 1)


def suggested(text: str) -> str:
    """The category the suggestion gives a transcript ("other" when it finds none)."""
    found = arabic.suggest_category(text)
    return found[0] if found else "other"
