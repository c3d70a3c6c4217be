"""A new complaint from start to finish, in Arabic and in English, on SQLite and PostgreSQL."""
from __future__ import annotations

from hotline import events
from hotline.models import CaseStatus
from tests.ivr.conftest import COMPLAINT, rows

FLOW = ["language", "main_menu", "category", "governorate", "national_id", "consent", "record",
        "recording_menu", "save_complaint", "read_number", "goodbye"]


def test_arabic_complaint_is_saved_with_recording_and_number_read_back(place_call, published,
                                                                      isolated_settings):
    sim, call = place_call(COMPLAINT)
    saved, steps, case, recordings = rows(sim)
    assert sim.steps == FLOW
    # The caller chose Arabic during the welcome: no language menu.
    assert sim.prompts == ["welcome", "main_menu", "category_menu",
                           "governorate_menu_1", "enter_national_id", "consent",
                           "record_after_beep", "recording_menu", "complaint_saved",
                           "your_complaint_number", *[f"digit_{d}" for d in case.number],
                           "after_number_menu", "goodbye"]
    assert sim.said_digits == [case.number]
    assert not any(c.startswith("SAY DIGITS") for c in sim.commands)  # silent without Arabic sounds
    assert sim.commands[0] == "ANSWER"
    assert 'SET VARIABLE "CHANNEL(language)" "ar"' in sim.commands
    assert saved.outcome == "completed" and not saved.hung_up and saved.language == "ar"
    assert saved.caller == "01001234567"
    assert (case.category, case.governorate, case.language, case.incomplete) == (
        "garbage", "cairo", "ar", False)
    assert case.status in (CaseStatus.received, CaseStatus.routed)  # routed where routing is certain
    assert case.complainant.national_id == "29001011234567" and case.complainant.consent is True
    assert case.complainant.phone == "01001234567"
    assert [s.step for s in steps] == FLOW[:8] + ["save_complaint", "read_number", "goodbye"]
    national = next(s for s in steps if s.step == "national_id")
    assert national.input == "2*********4567"  # never the full ID in the step log
    assert len(recordings) == 1 and recordings[0].case_id == case.id
    assert recordings[0].status in ("stored", "pending", "spooled")
    events.wait_dispatched()
    types = [e.type for e in published]
    assert types[0] == "call.started" and types[-1] == "call.ended"
    assert types.count("call.step") == len(steps)
    assert "case.created" in types and "recording.saved" in types
    # The case is committed before its number is read out.
    assert types.index("case.created") < len(types) - 1
    # The number is read from the project's Arabic digit prompts, by path, after the case is saved.
    digits = [c for c in sim.commands if "/digit_" in c]
    assert digits == [f'STREAM FILE {isolated_settings.sounds_dir}/ar/digit_{d} "" 0' for d in case.number]


def test_english_call_plays_english_prompts(place_call, isolated_settings):
    sim, call = place_call("2 1 5 1 * 2 3")
    saved, _steps, case, _ = rows(sim)
    assert call.language == "en" and saved.language == "en" and case.language == "en"
    assert 'SET VARIABLE "CHANNEL(language)" "en"' in sim.commands
    played = [c for c in sim.commands if c.startswith(("STREAM FILE", "GET DATA"))]
    assert all("/en/" in c for c in played[2:])
    assert case.category == "health" and case.complainant.national_id is None
    assert case.complainant.consent is False


def test_language_timeout_means_arabic(place_call):
    sim, call = place_call("- 1 1 1 * 1 3")
    assert call.language == "ar" and rows(sim)[2] is not None


def test_recording_menu_listen_rerecord_and_hash_ends_recording(place_call, isolated_settings):
    sim, call = place_call("1 1 2 1 * 1 # 1 2 3")
    saved, steps, case, recordings = rows(sim)
    assert len(sim.recordings) == 2  # recorded twice
    assert any(c.startswith("STREAM FILE") and sim.recordings[0].stem in c for c in sim.commands)
    record_steps = [s for s in steps if s.step == "record"]
    assert [s.input for s in record_steps] == ["dtmf", "timeout"]
    assert len(recordings) == 1 and recordings[0].spool_path.endswith("-2.wav")
    # The first take was deleted when the caller recorded again: no take is kept in clear.
    assert not sim.recordings[0].exists()
    assert not list(isolated_settings.spool_dir.glob("*.wav")) or recordings[0].status != "stored"


def test_number_can_be_repeated(place_call):
    sim, _ = place_call(COMPLAINT + " 1 9")
    case = rows(sim)[2]
    assert sim.said_digits == [case.number, case.number]
    assert sim.steps[-1] == "goodbye"


def test_paged_governorate_menu(place_call):
    # page 1 -> 9 -> page 2 -> 9 -> page 3 -> * -> page 2; key 2 = the 10th governorate
    sim, _ = place_call("1 1 3 9 9 * 2 * 1 3")
    assert [p for p in sim.prompts if p.startswith("governorate_menu")] == [
        "governorate_menu_1", "governorate_menu_2", "governorate_menu_3", "governorate_menu_2"]
    assert rows(sim)[2].governorate == "gharbia"


def test_last_page_has_three_governorates(place_call):
    sim, _ = place_call("1 1 3 9 9 9 5 9 3 * 1 3")
    assert "invalid_choice" in sim.prompts
    assert rows(sim)[2].governorate == "south_sinai"


def test_invalid_national_id_three_times_goes_on_without(place_call):
    bad = ["39913011234567#", "29001019934567#", "1900101123456#"]  # date, governorate, century
    sim, _ = place_call(f"1 1 1 1 {' '.join(bad)} 1 3")
    assert sim.prompts.count("invalid_national_id") == 3
    saved, steps, case, _ = rows(sim)
    assert case.complainant.national_id is None and case.complainant.consent is True
    assert [s.result for s in steps if s.step == "national_id"] == ["invalid"] * 3
