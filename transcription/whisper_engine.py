"""The Whisper engine: the only module importing faster_whisper (and CTranslate2).

A multilingual model (OpenAI's Whisper, converted for CTranslate2) loaded from a folder, never
from a hub: ``local_files_only`` stops faster-whisper from ever asking one. It runs on CUDA where
a GPU is usable and on the CPU otherwise, with int8 weights there (``whisper_device``,
``whisper_compute_type``); asking for CUDA on a host without a usable GPU falls back to the CPU
with a warning, never a failed worker. Audio is resampled to Whisper's 16 kHz as for Vosk, and
Silero's voice activity filter (shipped inside faster-whisper) skips silence, where Whisper
would otherwise make words up.

A loaded model is not fork safe: CTranslate2's thread pool stays in the parent, and a forked
child that decodes hangs. The worker pool therefore loads it in each worker, after the fork.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from hotline import settings
from transcription import audio
from transcription.engine import ModelError, Result, result

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000  # Whisper's only rate
# Decoding, chosen on bench/transcription_arabic.py (96 telephone recordings): temperature 0
# with a light repetition penalty and no 6-gram said twice stops the loops ("مي مي مي …") a weak
# model falls into on poor audio. With greedy search (whisper_beam_size 1) it scored CER 0.667 at
# RTF 0.35; faster-whisper's own answer, re-decoding at rising temperatures (FALLBACK, beam 5),
# 0.674 at RTF 1.93, and it samples at random: a recording would not give the same transcript twice.
DECODING = {"temperature": 0.0, "repetition_penalty": 1.1, "no_repeat_ngram_size": 6}
FALLBACK = {"temperature": (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)}
MODEL_FILES = ("model.bin", "config.json", "vocabulary.txt")


def check_model(path: Path | str | None) -> Path:
    """The model folder as a Path, or a ModelError saying what is wrong with it."""
    if path is None or str(path) == "":
        raise ModelError("no Whisper model configured: set whisper_model_path "
                         "(HOTLINE_WHISPER_MODEL_PATH)")
    path = Path(path).expanduser().resolve()
    if not path.is_dir():
        raise ModelError(f"Whisper model folder not found: {path}")
    missing = [name for name in MODEL_FILES if not (path / name).is_file()]
    if missing or not any((path / name).is_file() for name in ("tokenizer.json", "vocabulary.json")):
        raise ModelError(f"not a CTranslate2 Whisper model folder (no {', '.join(missing) or 'tokenizer.json'}): {path}")
    return path


def cuda_devices() -> int:
    """How many CUDA devices CTranslate2 can use here (0 without a GPU or a CUDA build)."""
    import ctranslate2

    try:
        return ctranslate2.get_cuda_device_count()
    except Exception:  # a CPU-only build, or a driver that does not answer
        return 0


def placement(device: str, compute_type: str, gpus: int) -> tuple[str, str]:
    """(device, compute type) for the settings on a host with ``gpus`` CUDA devices."""
    wanted = device
    if device == "auto":
        device = "cuda" if gpus else "cpu"
    elif device == "cuda" and not gpus:
        log.warning("whisper_device is cuda but no CUDA device is usable here: using the CPU")
        device = "cpu"
    if compute_type == "auto" or (device == "cpu" and wanted == "cuda" and "float16" in compute_type):
        compute_type = "float16" if device == "cuda" else "int8"
    return device, compute_type


class Engine:
    """A loaded Whisper model, decoding one recording at a time."""

    kind = "whisper"
    fork_safe = False
    sample_rate = SAMPLE_RATE

    def __init__(self, path: Path | str | None):
        self.path = check_model(path)
        self.name = f"whisper/{self.path.name}"
        conf = settings.get()
        self.decoding = dict(DECODING)
        self.device, self.compute_type = placement(conf.whisper_device, conf.whisper_compute_type,
                                                   cuda_devices())
        try:
            self.model = self._load(self.device, self.compute_type, conf.whisper_cpu_threads)
        except ModelError:
            if self.device != "cuda":
                raise
            # A GPU that CTranslate2 sees but cannot use (driver, cuBLAS or cuDNN missing).
            log.warning("Whisper cannot run on CUDA here: using the CPU", exc_info=True)
            self.device, self.compute_type = "cpu", "int8"
            self.model = self._load(self.device, self.compute_type, conf.whisper_cpu_threads)
        self._lock = threading.Lock()
        # The first decode allocates the decoder's buffers: pay for it at start-up.
        self.transcribe_pcm(audio.silence_pcm(1.0, SAMPLE_RATE), language="en")

    def _load(self, device: str, compute_type: str, threads: int):
        from faster_whisper import WhisperModel

        try:
            return WhisperModel(str(self.path), device=device, compute_type=compute_type,
                                cpu_threads=threads, local_files_only=True)
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"cannot load the Whisper model in {self.path} on {device} "
                             f"({compute_type}): {exc}") from None

    def transcribe(self, data: bytes, language: str | None = None) -> Result:
        """Transcribe a recording in ``language`` (None: Whisper detects it)."""
        pcm, duration = audio.to_pcm(data, SAMPLE_RATE, settings.get().transcription_resampler)
        return self.transcribe_pcm(pcm, duration, language)

    def transcribe_pcm(self, pcm: bytes, duration: float | None = None,
                       language: str | None = None) -> Result:
        """Transcribe 16-bit mono PCM at 16 kHz."""
        import numpy

        duration = len(pcm) / 2 / SAMPLE_RATE if duration is None else duration
        samples = numpy.frombuffer(pcm, dtype=numpy.int16).astype(numpy.float32) / 32768.0
        with self._lock:
            started = time.perf_counter()
            segments, _info = self.model.transcribe(
                samples, language=language, beam_size=settings.get().whisper_beam_size,
                word_timestamps=True,
                vad_filter=True, condition_on_previous_text=False, **self.decoding)
            # Segments are decoded as they are read: the list is the decoding.
            words = [{"word": word.word.strip(), "start": round(max(float(word.start), 0.0), 3),
                      "end": round(min(float(word.end), duration), 3),
                      "conf": round(float(word.probability), 4)}
                     for segment in segments for word in segment.words or () if word.word.strip()]
            decode = time.perf_counter() - started
        return result(words, duration, decode, self.name)
