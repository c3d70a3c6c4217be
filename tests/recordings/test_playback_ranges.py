"""HTTP byte ranges for playback, and audio normalisation's refusals."""
from __future__ import annotations

from pathlib import Path

import pytest

from recordings import audio
from recordings.playback import RangeNotSatisfiable, byte_range


@pytest.mark.parametrize("header, expected", [
    (None, None),
    ("", None),
    ("bytes=0-1", (0, 1)),               # first bytes, as a browser probes
    ("bytes=0-", (0, 999)),
    ("bytes=500-599", (500, 599)),       # the middle, after a seek
    ("bytes=900-5000", (900, 999)),      # clipped to the end
    ("bytes=-100", (900, 999)),          # suffix: the last 100 bytes
    ("bytes=-5000", (0, 999)),
    ("bytes=0-1,5-6", None),             # multiple ranges: the whole file is allowed
    ("items=0-10", None),
    ("bytes=abc", None),
])
def test_byte_range(header, expected):
    assert byte_range(1000, header) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0", "bytes=20-10"])
def test_unsatisfiable_range(header):
    with pytest.raises(RangeNotSatisfiable) as caught:
        byte_range(1000, header)
    assert caught.value.total == 1000


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"hello, I am not audio at all", "cannot decode"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00", "cannot decode"),
])
def test_normalise_refuses_non_audio(tmp_path, content, message):
    path = tmp_path / "call.wav"
    path.write_bytes(content)
    with pytest.raises(audio.AudioError, match=message):
        audio.normalise(path, "wav")


@pytest.mark.parametrize("name, content", [("call.sln", b"\x00" * 1001), ("call.ulaw", b"%PDF-1.4 ...")])
def test_normalise_refuses_what_cannot_be_raw_audio(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(audio.AudioError):
        audio.normalise(path)


def test_normalise_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(audio.AudioError, match="unknown recording format"):
        audio.normalise(tmp_path / "call.mp9")
    with pytest.raises(audio.AudioError, match="not found"):
        audio.normalise(Path(tmp_path / "gone.wav"))


def test_wideband_keeps_16_khz(tone_dir):
    assert audio.normalise(tone_dir / "tone.sln16", "sln16").frame_rate == 16000
    assert audio.normalise(tone_dir / "tone.gsm", "gsm").frame_rate == 8000
