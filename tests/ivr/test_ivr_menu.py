"""Every other branch: invalid keys, timeouts, the agent queue, WhatsApp, follow-up, failures."""
from __future__ import annotations

from hotline import cases, db
from hotline.models import Case, CaseStatus
from ivr.steps import registry
from tests.ivr.conftest import COMPLAINT, SUNDAY_10AM, rows


def test_three_invalid_keys_go_to_the_agent_queue_in_office_hours(place_call):
    sim, call = place_call("1 7 8 *")
    assert sim.prompts.count("invalid_choice") == 3
    assert sim.steps[-1] == "agent" and sim.apps[-1] == ("Queue", "hotline,,,,300")
    saved, steps, _case, _ = rows(sim)
    assert saved.outcome == "queued"
    assert [s.result for s in steps if s.step == "main_menu"] == ["invalid"] * 3


def test_three_timeouts_say_goodbye_outside_office_hours(place_call):
    sim, _ = place_call("1 - - -", on_duty=False)
    assert sim.prompts.count("no_input") == 3
    assert sim.steps[-1] == "goodbye" and not sim.apps
    assert rows(sim)[0].outcome == "completed"


def test_agent_gets_call_context_as_channel_variables(place_call, published):
    sim, call = place_call(COMPLAINT + " 0")
    case = rows(sim)[2]
    assert sim.variables["SHAKWA_CASE"] == case.number
    assert sim.variables["SHAKWA_CALL_ID"] == str(call.call_id)
    assert sim.variables["SHAKWA_CATEGORY"] == "garbage" and sim.variables["SHAKWA_LANGUAGE"] == "ar"
    assert sim.prompts[-1] == "transferring_to_agent" and sim.apps[-1][0] == "Queue"
    from hotline import events
    events.wait_dispatched()
    queued = [e for e in published if e.type == "call.queued"]
    assert queued and queued[0].case_id == case.id and queued[0].payload["queue"] == "hotline"


def test_agent_outside_office_hours_takes_the_complaint(place_call):
    sim, _ = place_call("1 0 1 1 * 1 3", on_duty=False)
    assert "no_agents" in sim.prompts and not sim.apps
    assert sim.steps[:4] == ["language", "main_menu", "agent", "category"]
    assert rows(sim)[2].number


def test_whatsapp_numbers_then_main_menu(place_call):
    sim, _ = place_call("1 3 0")
    assert sim.prompts[2] == "whatsapp_numbers" and sim.steps[:4] == ["language", "main_menu", "whatsapp", "main_menu"]


def test_follow_up_from_the_calling_number_reads_the_status(place_call):
    first, _ = place_call(COMPLAINT)
    number = rows(first)[2].number
    sim, _ = place_call(f"1 2 {number}#")
    # (received, or routed where the routing of category x governorate is certain)
    assert sim.prompts[-2] in ("status_received", "status_routed") and sim.prompts[-1] == "goodbye"
    assert "verify_identity" not in sim.prompts


def test_follow_up_from_another_phone_is_verified_by_national_id(place_call):
    first, _ = place_call(COMPLAINT)
    number = rows(first)[2].number
    with db.session_scope() as session:
        case = session.get(Case, rows(first)[2].id)
        cases.change_status(session, case, CaseStatus.under_review, actor="test")
    sim, _ = place_call(f"1 2 {number}# 4567#", caller="01119998888")
    assert "verify_identity" in sim.prompts and sim.prompts[-2] == "status_under_review"
    wrong, _ = place_call(f"1 2 {number}# 1111#", caller="01119998888")
    assert wrong.prompts[-2:] == ["complaint_not_found", "goodbye"]
    assert not any(p.startswith("status_") for p in wrong.prompts)


def test_follow_up_wrong_check_digit_is_asked_again(place_call):
    first, _ = place_call(COMPLAINT)
    number = rows(first)[2].number
    typo = number[:-1] + str((int(number[-1]) + 1) % 10)
    sim, _ = place_call(f"1 2 {typo}# {number}#")
    assert sim.prompts.count("enter_complaint_number") == 2
    assert {"status_received", "status_routed"} & set(sim.prompts)
    lost, _ = place_call(f"1 2 {typo}# {typo}# {typo}#", on_duty=False)
    assert lost.prompts.count("invalid_choice") == 3 and lost.steps[-1] == "goodbye"


def test_follow_up_unknown_number(place_call):
    body = "25999999"
    from hotline import verhoeff
    sim, _ = place_call(f"1 2 {body + verhoeff.check_digit(body)}# - - -", on_duty=False)
    assert "complaint_not_found" in sim.prompts


def test_internal_error_sends_the_call_to_the_failure_context(place_call, monkeypatch):
    def broken(call, options):
        raise RuntimeError("a bug")

    monkeypatch.setitem(registry(), "category", broken)
    sim, _ = place_call("1 1")
    assert sim.apps[-1] == ("Goto", "hotline-failed,s,1") and "technical_error" in sim.prompts
    assert rows(sim)[0].outcome == "error"


def test_missing_prompt_files_do_not_stop_the_call(place_call, tmp_path):
    from ivr.sim.audio import SoundLibrary

    sim, _ = place_call(COMPLAINT, sounds=SoundLibrary({}, data_dir=tmp_path))  # no sound exists
    assert rows(sim)[2] is not None and sim.steps[-1] == "goodbye"


def test_calls_without_a_uniqueid_never_share_a_row(db_url):
    # CPython reuses id() of freed objects: an id built from it merged two callers into one row.
    from sqlalchemy import func, select

    from hotline.models import Call
    from ivr import testing

    for number in ("01001111111", "01002222222", "01003333333"):
        sim = testing.fake_asterisk("1 3 !", caller=number)
        sim.env["agi_uniqueid"] = ""  # a peer that sends none
        testing.run_in_process(sim, clock=lambda: SUNDAY_10AM)
    with db.session_scope() as session:
        calls = session.scalars(select(Call)).all()
        assert len(calls) == 3 and len({c.uniqueid for c in calls}) == 3
        assert sorted(c.caller for c in calls) == ["01001111111", "01002222222", "01003333333"]
        assert session.scalar(select(func.count()).select_from(Call)) == 3
