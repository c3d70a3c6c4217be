"""The speech engines behind one interface, chosen per language by the settings.

Two engines: Vosk (``vosk_engine``, the only module importing vosk) and Whisper on CTranslate2
(``whisper_engine``, the only module importing faster_whisper). Both take a recording's bytes
and give a :class:`Result` with the text and every word's times and confidence; the job, the
worker, inverse text normalisation and redaction are the same whichever engine spoke.
``transcription_engine`` names the engine of every language and
``transcription_engine_by_language`` overrides it per language (``["ar=whisper"]``).
"""
from __future__ import annotations

import importlib
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from hotline import settings
from hotline.errors import SettingsError


class ModelError(SettingsError):
    """A model folder is missing, not a model of its engine, or cannot be loaded."""


@dataclass
class Result:
    """A transcript: text, every word with its times and confidence, and decoding figures."""

    text: str
    words: list[dict] = field(default_factory=list)  # {"word", "start", "end", "conf"}
    confidence: float | None = None
    duration: float = 0.0  # seconds of audio
    decode_seconds: float = 0.0
    real_time_factor: float | None = None
    model: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def result(words: list[dict], duration: float, decode: float, model: str) -> Result:
    """A Result whose text is its words and whose confidence is their mean (for every engine)."""
    confidence = sum(w["conf"] for w in words) / len(words) if words else None
    return Result(text=" ".join(w["word"] for w in words), words=words, confidence=confidence,
                  duration=duration, decode_seconds=decode,
                  real_time_factor=decode / duration if duration else None, model=model)


class Engine(Protocol):
    """What the job needs of an engine."""

    kind: str
    path: Path
    name: str
    sample_rate: int
    #: False when the loaded model cannot be used in a forked child (its threads stay behind).
    fork_safe: bool

    def transcribe(self, data: bytes, language: str | None = None) -> Result: ...


def model_path(kind: str, path: Path | str | None = None) -> Path | None:
    """The model folder of ``kind``: ``path`` when given, else its setting."""
    if path:
        return Path(path)
    conf = settings.get()
    return conf.whisper_model_path if kind == "whisper" else conf.vosk_model_path


# Each engine's module is imported only when its engine is used: a Vosk-only host never loads
# CTranslate2, and the other way round.
_MODULES = {"vosk": "transcription.vosk_engine", "whisper": "transcription.whisper_engine"}


def _module(kind: str):
    return importlib.import_module(_MODULES[kind])


_engines: dict[tuple[str, Path], Engine] = {}
_engines_lock = threading.Lock()


def get(path: Path | str | None = None, kind: str = "vosk") -> Engine:
    """This process's ``kind`` engine for ``path`` (default: its setting), loaded once."""
    folder = _module(kind).check_model(model_path(kind, path))
    with _engines_lock:
        if (kind, folder) not in _engines:
            _engines[(kind, folder)] = _module(kind).Engine(folder)
        return _engines[(kind, folder)]


def for_language(language: str | None) -> Engine:
    """The engine the settings name for ``language`` (None: the default language)."""
    language = language or settings.get().default_language
    return get(kind=settings.get().transcription_engine_for(language))


def check(kind: str, path: Path | str | None = None) -> Path:
    """The model folder of ``kind`` after a look at its files (nothing loaded), or ModelError."""
    return _module(kind).check_model(model_path(kind, path))


def loaded() -> list[Engine]:
    """The engines this process has loaded."""
    with _engines_lock:
        return list(_engines.values())


def forget_unforkable() -> None:
    """Drop engines a forked child cannot use (a worker loads its own on first need)."""
    with _engines_lock:
        for key in [key for key, engine in _engines.items() if not engine.fork_safe]:
            del _engines[key]
