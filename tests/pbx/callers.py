"""Scripted citizens for the real-PBX tests, timed by the prompts they hear."""
from __future__ import annotations

from pathlib import Path

from tests.support.pbx import Caller, wav_seconds

NATIONAL_ID = "29001011234567"


def prompt_seconds(prompts: Path, name: str, language: str = "ar") -> float:
    return wav_seconds(prompts / language / f"{name}.wav")


def into_menu_after_number(prompts: Path, digits: int, language: str = "ar") -> int:
    """Milliseconds from the start of ``read_number`` to a second into the menu that follows the
    number (its keys are heard there): the announcement and ``digits`` of the longest digit."""
    longest = max(prompt_seconds(prompts, f"digit_{d}", language) for d in range(10))
    return round(1000 * (prompt_seconds(prompts, "your_complaint_number", language) + digits * longest + 1.0))


def to_recording(caller: Caller, prompts: Path, *, category: str = "1", governorate: str = "1",
                 national_id: str = NATIONAL_ID, consent: str = "1") -> Caller:
    """Arabic chosen during the welcome, a new complaint, up to the beep."""
    return (caller.at("language", 1500).keys("1")
            .at("main_menu").keys("1")
            .at("category").keys(category)
            .at("governorate").keys(governorate)
            .at("national_id", 1500).keys(national_id + "#" if national_id else "*")
            .at("consent").keys(consent)
            # The prompt, the 0.25 s beep, then the caller talks.
            .at("record", round(1000 * (prompt_seconds(prompts, "record_after_beep") + 0.9))))


def whole_complaint(prompts: Path, spoken: Path, *, number: str = "01001234567", **choices) -> Caller:
    """A citizen who files a complaint, confirms it, hears the number and lets the IVR say goodbye."""
    caller = to_recording(Caller(number), prompts, **choices)
    return (caller.say(spoken).keys("#")
            .at("recording_menu").keys("3")
            .at("goodbye", 500).wait(4))
