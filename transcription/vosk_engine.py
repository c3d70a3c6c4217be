"""The Vosk engine: the only module importing vosk. One model per process, one recognizer each.

A model is always loaded from a folder (``vosk.Model()`` without a path would try to download
one). Audio is resampled to the model's own rate. The recognizer lives as long as the engine and
is reset between recordings (by finishing each one with FinalResult), not built per job.
"""
from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

from hotline import settings
from transcription import audio
from transcription.engine import ModelError, Result, result

CHUNK_SECONDS = 0.5  # audio fed per AcceptWaveform call; Vosk finds utterance ends between chunks
DEFAULT_RATE = 16000  # Kaldi's default when conf/mfcc.conf names no --sample-frequency


def model_sample_rate(path: Path) -> int:
    """The sample rate a Vosk model was trained on, from its conf/mfcc.conf."""
    conf = path / "conf" / "mfcc.conf"
    if conf.is_file():
        match = re.search(r"^--sample-frequency=(\d+)", conf.read_text(), re.MULTILINE)
        if match:
            return int(float(match.group(1)))
    return DEFAULT_RATE


def check_model(path: Path | str | None) -> Path:
    """The model folder as a Path, or a ModelError saying what is wrong with it."""
    if path is None or str(path) == "":
        raise ModelError("no Vosk model configured: set vosk_model_path "
                         "(HOTLINE_VOSK_MODEL_PATH) or pass --model PATH")
    path = Path(path).expanduser().resolve()
    if not path.is_dir():
        raise ModelError(f"Vosk model folder not found: {path}")
    if not ((path / "am" / "final.mdl").is_file() or (path / "final.mdl").is_file()):
        raise ModelError(f"not a Vosk model folder (no am/final.mdl): {path}")
    return path


class Engine:
    """A loaded model and this process's recognizer."""

    kind = "vosk"
    fork_safe = True  # the pool loads it once and forks: workers share its memory

    def __init__(self, path: Path | str | None):
        import vosk

        self.path = check_model(path)
        vosk.SetLogLevel(-1)
        try:
            self.model = vosk.Model(str(self.path))
        except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
            raise ModelError(f"cannot load the Vosk model in {self.path}: {exc}") from None
        self.sample_rate = model_sample_rate(self.path)
        self.name = self.path.name if self.path.name != "model" else f"{self.path.parent.name}/model"
        self._recognizer = vosk.KaldiRecognizer(self.model, self.sample_rate)
        self._recognizer.SetWords(True)
        self._lock = threading.Lock()
        self._samples_fed = 0
        # The first decode pages the graph in; pay for it at start-up, not on a caller's complaint.
        self.transcribe_pcm(audio.silence_pcm(1.0, self.sample_rate))

    def transcribe(self, data: bytes, language: str | None = None) -> Result:
        """Transcribe a recording: canonical WAV from the vault, or a container ffmpeg reads.

        ``language`` is the model's own: a Vosk model knows one."""
        pcm, duration = audio.to_pcm(data, self.sample_rate, settings.get().transcription_resampler)
        return self.transcribe_pcm(pcm, duration)

    def transcribe_pcm(self, pcm: bytes, duration: float | None = None) -> Result:
        """Transcribe 16-bit mono PCM already at the model's rate."""
        duration = len(pcm) / 2 / self.sample_rate if duration is None else duration
        chunk = int(CHUNK_SECONDS * self.sample_rate) * 2
        words: list[dict] = []
        with self._lock:
            started = time.perf_counter()
            recognizer = self._recognizer
            # Vosk times words from the recognizer's creation: this recording starts here.
            offset = self._samples_fed / self.sample_rate
            try:
                for start in range(0, len(pcm), chunk):
                    if recognizer.AcceptWaveform(pcm[start:start + chunk]):
                        _collect(recognizer.Result(), words, offset)
            finally:
                # FinalResult is the reset: the next AcceptWaveform starts a fresh feature
                # pipeline and decoder (Reset() instead would keep this recording's adaptation).
                final = recognizer.FinalResult()
                self._samples_fed += len(pcm) // 2
            _collect(final, words, offset)
            decode = time.perf_counter() - started
        return result(words, duration, decode, self.name)


def _collect(raw: str, words: list[dict], offset: float) -> None:
    for word in json.loads(raw).get("result", ()):
        words.append({"word": word["word"], "start": round(max(word["start"] - offset, 0.0), 3),
                      "end": round(max(word["end"] - offset, 0.0), 3),
                      "conf": float(word["conf"])})
