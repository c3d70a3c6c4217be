"""Ten whole complaints at once on a real Asterisk 22, classic AGI and FastAGI: what each citizen
did and heard, and what the system kept (rows, encrypted recording, events, transcription job)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.pbx import callers, evidence
from tests.pbx.conftest import MODES, wait_until

CALLS = 10


def heard_every_prompt(pbx, call) -> list[str]:
    """Every prompt the IVR asked Asterisk to play exists and was played (Asterisk logs
    ``Playing '<file>.<format>'``; a missing file is skipped with no sound at all)."""
    played = pbx.played(call)
    for name in played:
        if name.startswith("/"):  # ours; relative ones are Asterisk's own (the beep)
            assert Path(name).with_suffix(".wav").is_file(), name
    heard = {str(Path(p).with_suffix("")) for p in played}
    for command, _result in pbx.agi_commands(call):
        if command.startswith(("STREAM FILE", "GET DATA")):
            prompt = command.split(" ", 3)[2].strip('"')
            assert not prompt or prompt in heard, f"{prompt} was not played"
    return played


def _check_complaint(hotline, row, call, mode: str) -> str:
    """One citizen's complaint, from the keys to the queued job; returns its number."""
    assert row.outcome == "completed" and not row.hung_up and row.mode == mode, row.outcome
    assert row.caller == call.caller.number and row.language == "ar"
    steps = evidence.steps_of(row.id)
    walked = [s.step for s in steps]
    # Consent asked once and answered: the '#' after the ID no longer ends the consent menu.
    assert walked[:8] == ["language", "main_menu", "category", "governorate", "national_id",
                          "consent", "record", "recording_menu"], walked
    assert not [s for s in steps if s.result in ("no_input", "invalid")], [(s.step, s.result) for s in steps]
    case = evidence.case_of(row.id)
    assert case.national_id == callers.NATIONAL_ID and case.consent is True and not case.incomplete
    assert (case.category, case.governorate) == ("garbage", "cairo")
    # The number was read back, digit by digit, from our Arabic prompts, and each file exists.
    played = heard_every_prompt(hotline.pbx, call)
    digits = [re.search(r"digit_(\d)", p).group(1) for p in played if "/ar/digit_" in p]
    assert "".join(digits) == case.number
    # The recording: in the vault as an age file, the length of what was said.
    [recording] = evidence.recordings_of(case.id)
    assert recording.status == "stored" and recording.vault_path.endswith(".age")
    assert recording.vault_path.startswith("recordings/") and "recordings/recordings" not in recording.vault_path
    wav = evidence.decrypted(recording, hotline.identity)
    assert wav[:4] == b"RIFF" and 3000 < recording.duration_ms < 15000, recording.duration_ms
    # Every console re-syncs from the stream; the worker's job is queued.
    types = [e["type"] for e in evidence.stream_events(call_id=row.id)]
    assert types[0] == "call.started" and types[-1] == "call.ended", types
    assert {"case.created", "recording.saved"} <= set(types) and types.count("call.step") == len(steps)
    assert evidence.transcription_job(recording.id) is not None
    return case.number


@pytest.mark.parametrize("mode", MODES)
def test_ten_complaints_at_once(mode, hotline, prompts, spoken):
    if mode == "fastagi":
        hotline.start_fastagi()
    people = [callers.whole_complaint(prompts, spoken, number=f"0100000{n:04d}") for n in range(CALLS)]
    placed = hotline.pbx.place_many(people, extension=MODES[mode])
    for call in placed:
        hotline.pbx.wait_ended(call, 400)

    def ended():
        rows = evidence.call_rows()
        return len(rows) == CALLS and all(r.ended_at for r in rows) and rows

    rows = {row.caller: row for row in wait_until(ended, "ten calls' ends", 120)}
    numbers = {_check_complaint(hotline, rows[call.caller.number], call, mode) for call in placed}
    assert len(numbers) == CALLS
    assert evidence.plaintext_audio(hotline.conf.var_dir, hotline.conf.sounds_dir) == []
