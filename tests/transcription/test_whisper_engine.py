"""The real Whisper engine (Whisper base on CTranslate2, int8 on the CPU) on real speech.

Arabic speech here is espeak-ng's, over a simulated telephone line: what these tests and
bench/transcription_arabic.py measure on it is a floor, not what callers will get.
"""
from __future__ import annotations

import logging
import shutil

import pytest

from arabic_speech import cer, complaints, speak, telephone_line
from hotline.errors import ValidationError
from speech_samples import silence
from tests.support import whisper_model
from transcription import engine, whisper_engine

ARABIC = __import__("re").compile("[\u0621-\u064a]")


@pytest.fixture(scope="module")
def spoken():
    """Six sentences of the evaluation set, of six categories, as telephone recordings."""
    chosen = {c.category: c for c in reversed(complaints()) if not c.numbers}
    picked = list(chosen.values())[:6]
    return [(c.text, telephone_line(speak(c.text))) for c in picked]


def test_assembled_model_is_the_pinned_one(whisper_dir, tmp_path):
    whisper_model.check(whisper_dir)
    tokens = whisper_model.vocabulary(whisper_dir / "tokenizer.json")
    assert len(tokens) == 51865
    assert tokens[50257] == "<|endoftext|>" and tokens[50364] == "<|0.00|>" and tokens[-1] == "<|30.00|>"
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copy(whisper_dir / name, tmp_path / name)
    (tmp_path / "model.bin").write_bytes(b"\0" * 1024)  # a truncated download
    with pytest.raises(whisper_model.ModelMissing, match="SHA-256"):
        whisper_model.check(tmp_path)


def test_engine_runs_int8_on_the_cpu_here(whisper):
    assert whisper.kind == "whisper" and whisper.name == "whisper/whisper-base-ct2"
    assert whisper.device == "cpu" and whisper.compute_type == "int8"  # no GPU on this machine
    assert whisper.sample_rate == 16000 and not whisper.fork_safe


@pytest.mark.parametrize("device, compute, gpus, placed", [
    ("auto", "auto", 0, ("cpu", "int8")),
    ("auto", "auto", 1, ("cuda", "float16")),
    ("cpu", "auto", 1, ("cpu", "int8")),
    ("cuda", "int8_float16", 2, ("cuda", "int8_float16")),
    ("cuda", "float16", 0, ("cpu", "int8")),  # float16 is not a CPU type: int8 instead
    ("cpu", "float32", 0, ("cpu", "float32")),
])
def test_placement_follows_the_settings_and_the_gpus(device, compute, gpus, placed):
    assert whisper_engine.placement(device, compute, gpus) == placed


def test_cuda_without_a_gpu_falls_back_to_the_cpu(whisper_dir, isolated_settings, caplog):
    from hotline import settings

    settings.install(isolated_settings.replace(whisper_device="cuda", whisper_compute_type="float16"))
    with caplog.at_level(logging.WARNING, logger="transcription.whisper_engine"):
        loaded = whisper_engine.Engine(whisper_dir)  # a second, private instance
    assert (loaded.device, loaded.compute_type) == ("cpu", "int8")
    assert "no CUDA device" in caplog.text
    assert loaded.transcribe(telephone_line(speak("hello", "en")), "en").text


def test_arabic_speech_gives_arabic_words_with_times(whisper, spoken):
    text, wav = spoken[0]
    result = whisper.transcribe(wav, "ar")
    assert ARABIC.search(result.text), result.text
    assert result.words and result.text == " ".join(w["word"] for w in result.words)
    starts = [w["start"] for w in result.words]
    assert starts == sorted(starts) and starts[0] < 1.5
    for word in result.words:
        assert 0 <= word["start"] <= word["end"] <= result.duration + 0.01
        assert 0 <= word["conf"] <= 1
        assert isinstance(word["start"], float) and isinstance(word["conf"], float)  # JSON-able
    assert result.confidence == pytest.approx(sum(w["conf"] for w in result.words) / len(result.words))
    assert result.model == "whisper/whisper-base-ct2"
    assert result.real_time_factor == pytest.approx(result.decode_seconds / result.duration)


def test_each_arabic_transcript_is_nearest_its_own_sentence(whisper, spoken):
    # The floor: espeak-ng Arabic through Whisper base scores CER ~0.6 (bench/transcription_arabic.py),
    # still far enough from the other sentences to tell which complaint was said.
    sentences = [text for text, _wav in spoken]
    nearest = 0
    for index, (_text, wav) in enumerate(spoken):
        rates = [cer(whisper.transcribe(wav, "ar").text, sentence) for sentence in sentences]
        nearest += rates[index] == min(rates)
    assert nearest >= len(spoken) - 1, nearest


def test_english_speech_is_transcribed_closely(whisper):
    said = "the garbage has been piling up in our street for a week"
    result = whisper.transcribe(telephone_line(speak(said, "en")), "en")
    assert cer(result.text.lower().strip("."), said) < 0.2, result.text


def test_silence_gives_empty_text(whisper):
    from io import BytesIO

    result = whisper.transcribe(silence(3).export(BytesIO(), format="wav").getvalue(), "ar")
    assert result.text == "" and result.words == [] and result.confidence is None
    assert result.duration == pytest.approx(3.0, abs=0.05)


def test_engine_is_loaded_once_per_process(whisper):
    assert engine.get(whisper.path, "whisper") is whisper


@pytest.mark.parametrize("data", [b"", b"RIFF not really a wav", b"\x00\x01garbage" * 10])
def test_bad_audio_is_a_clear_error(whisper, data):
    with pytest.raises(ValidationError):
        whisper.transcribe(data, "ar")


def test_model_folder_errors_are_clean(tmp_path):
    with pytest.raises(engine.ModelError, match="not found"):
        whisper_engine.check_model(tmp_path / "missing")
    with pytest.raises(engine.ModelError, match="not a CTranslate2 Whisper model"):
        whisper_engine.check_model(tmp_path)
    with pytest.raises(engine.ModelError, match="whisper_model_path"):
        engine.get(None, "whisper")
    for name in ("model.bin", "config.json", "vocabulary.txt", "tokenizer.json"):
        (tmp_path / name).write_text("{}")
    with pytest.raises(engine.ModelError, match="cannot load"):
        whisper_engine.Engine(tmp_path)


@pytest.mark.parametrize("environ, message", [
    ({"HOTLINE_TRANSCRIPTION_ENGINE": "kaldi"}, "transcription_engine"),
    ({"HOTLINE_TRANSCRIPTION_ENGINE_BY_LANGUAGE": "fr=whisper"}, "language=engine"),
    ({"HOTLINE_TRANSCRIPTION_ENGINE_BY_LANGUAGE": "ar=google"}, "language=engine"),
    ({"HOTLINE_TRANSCRIPTION_RESAMPLER": "sinc"}, "transcription_resampler"),
    ({"HOTLINE_WHISPER_DEVICE": "tpu"}, "whisper_device"),
    ({"HOTLINE_WHISPER_BEAM_SIZE": "0"}, "whisper_beam_size"),
    ({"HOTLINE_WHISPER_MODEL_PATH": "/no/such/folder"}, "whisper_model_path"),
])
def test_engine_settings_are_checked(environ, message):
    from hotline import settings
    from hotline.errors import SettingsError

    with pytest.raises(SettingsError, match=f"(?i){message}"):
        settings.load(environ=environ)


def test_the_engine_follows_the_language():
    from hotline import settings

    conf = settings.load(environ={"HOTLINE_TRANSCRIPTION_ENGINE_BY_LANGUAGE": "ar=whisper"})
    assert conf.transcription_engine_for("ar") == "whisper"
    assert conf.transcription_engine_for("en") == conf.transcription_engine == "vosk"
