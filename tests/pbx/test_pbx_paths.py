"""Follow-ups, hang-ups, wrong keys and the agent queue, several callers at once, on a real
Asterisk 22 by classic AGI and FastAGI."""
from __future__ import annotations

import pytest

from hotline import cases, db
from hotline.models import Complainant
from tests.pbx import callers, evidence
from tests.pbx.callers import prompt_seconds
from tests.pbx.conftest import MODES, wait_until
from tests.support.pbx import Caller


def _serve(hotline, mode: str) -> str:
    if mode == "fastagi":
        hotline.start_fastagi()
    return MODES[mode]


def _ended(count: int):
    def check():
        rows = evidence.call_rows()
        return len(rows) == count and all(r.ended_at for r in rows) and rows
    return check


def _by_caller(rows):
    return {row.caller: row for row in rows}


def _seed_case(phone: str, national_id: str) -> str:
    with db.session_scope() as session:
        who = Complainant()
        who.phone, who.national_id = phone, national_id
        session.add(who)
        case = cases.create_case(session, channel="ivr", actor="test", language="ar", category="water_sewage",
                                 governorate="giza", complainant=who)
        return case.number


@pytest.mark.parametrize("mode", MODES)
def test_follow_ups_hang_ups_and_wrong_keys(mode, hotline, prompts, spoken):
    """Six citizens at once: two follow-ups by number (the case's own phone, and another phone
    verified by the ID's last four digits then #), three hang-ups (main menu, half-way through the
    ID, while recording) and one who presses three wrong keys."""
    number = _seed_case("01001234567", callers.NATIONAL_ID)
    own = (Caller("01001234567").at("language", 1500).keys("1").at("main_menu").keys("2")
           .at("follow_up", 1200).keys(number + "#").at("goodbye", 500).wait(3))
    other = (Caller("01119998888").at("language", 1500).keys("1").at("main_menu").keys("2")
             .at("follow_up", 1200).keys(number + "#")
             .wait(prompt_seconds(prompts, "verify_identity") * 0.5).keys("4567#")
             .at("goodbye", 500).wait(3))
    at_menu = Caller("01000000001").at("language", 1500).keys("1").at("main_menu", 1500).hangup()
    typing_id = (Caller("01000000002").at("language", 1500).keys("1")
                 .at("main_menu").keys("1").at("category").keys("2").at("governorate").keys("3")
                 .at("national_id", 1500).keys("2900101").hangup())
    recording = callers.to_recording(Caller("01000000003"), prompts).say(spoken).hangup()
    retry = prompt_seconds(prompts, "invalid_choice") + 1.2
    wrong = (Caller("01000000004").at("language", 1500).keys("1").at("main_menu", 1500).keys("7")
             .wait(retry).keys("8").wait(retry).keys("9")
             .at("agent", round(1000 * (prompt_seconds(prompts, "transferring_to_agent") + 2))).hangup())
    people = [own, other, at_menu, typing_id, recording, wrong]
    placed = hotline.pbx.place_many(people, extension=_serve(hotline, mode))
    for call in placed:
        hotline.pbx.wait_ended(call, 180)
    rows = _by_caller(wait_until(_ended(len(people)), "the six calls' ends"))
    calls = {call.caller.number: call for call in placed}

    # Follow-ups: the status, heard; verification only from the other phone.
    for phone in ("01001234567", "01119998888"):
        steps = evidence.steps_of(rows[phone].id)
        follow = [s for s in steps if s.step == "follow_up"]
        assert [(s.input, s.result) for s in follow] == [(number, "received")], [(s.step, s.input, s.result) for s in steps]
        played = hotline.pbx.played(calls[phone])
        assert any("/ar/status_received" in p for p in played), played
        assert ("verify_identity" in " ".join(played)) == (phone == "01119998888")

    # Hang-ups lose nothing: where the caller left, and a recorded complaint kept as incomplete.
    for phone, step in (("01000000001", "main_menu"), ("01000000002", "national_id"),
                        ("01000000003", "record")):
        row = rows[phone]
        assert row.hung_up and row.outcome == "hangup", (phone, row.outcome)
        steps = evidence.steps_of(row.id)
        assert steps[-1].step == step and steps[-1].result == "hangup", [(s.step, s.result) for s in steps]
    assert evidence.case_of(rows["01000000001"].id) is None
    assert evidence.case_of(rows["01000000002"].id) is None  # half an ID is not a complaint
    case = evidence.case_of(rows["01000000003"].id)
    assert case.incomplete and case.category == "garbage"
    [kept] = wait_until(lambda: [r for r in evidence.recordings_of(case.id) if r.status == "stored"],
                        "the partial recording in the vault", 60)
    assert evidence.decrypted(kept, hotline.identity)[:4] == b"RIFF" and kept.duration_ms > 2000
    assert evidence.plaintext_audio(hotline.conf.var_dir, hotline.conf.sounds_dir) == []
    assert evidence.transcription_job(kept.id) is not None  # transcribed like any complaint

    # Every call's life is in the event stream, a hang-up said as such.
    for phone, row in rows.items():
        types = [e["type"] for e in evidence.stream_events(call_id=row.id)]
        assert types[0] == "call.started" and types[-1] == "call.ended", (phone, types)
        assert types.count("call.step") == len(evidence.steps_of(row.id)), phone
        assert ("call.hung_up" in types) == row.hung_up, (phone, types)

    # Three wrong keys: three retries, then the agent queue.
    steps = evidence.steps_of(rows["01000000004"].id)
    menu = [(s.input, s.result) for s in steps if s.step == "main_menu"]
    assert menu == [("7", "invalid"), ("8", "invalid"), ("9", "invalid")], menu
    assert steps[-2].step == "agent" and steps[-2].result == "queued", [(s.step, s.input, s.result) for s in steps]
    assert rows["01000000004"].outcome == "queued" and rows["01000000004"].hung_up
    assert sum("/ar/invalid_choice" in p for p in hotline.pbx.played(calls["01000000004"])) == 3


@pytest.mark.parametrize("mode", MODES)
def test_zero_reaches_an_answering_agent(mode, hotline, prompts):
    bridge = hotline.start("ami", ready="bridging")
    hotline.pbx.ami.action({"Action": "QueueAdd", "Queue": hotline.conf.queue_name,
                            "Interface": "Local/1001@harness-agents/n", "MemberName": "agent1"})
    hotline.pbx.ami.wait_for(lambda e: e.get("Event") == "QueueMemberAdded", "the member added", 20)
    caller = Caller().at("language", 1500).keys("1").at("main_menu", 1200).keys("0").at("agent").wait(12)
    call = hotline.pbx.place(caller, extension=_serve(hotline, mode))
    connect = hotline.pbx.ami.wait_for(lambda e: e.get("Event") == "AgentConnect", "AgentConnect", 60)
    assert connect["Interface"].startswith("Local/1001@harness-agents")
    hotline.pbx.wait_ended(call, 120)
    [row] = wait_until(_ended(1), "the call's end")
    bridged = wait_until(lambda: [e for e in evidence.stream_events(call_id=row.id)
                                  if e["type"] == "queue.agent_connect"], "queue.agent_connect from the bridge", 30)
    assert bridged[0]["payload"]["agent"] == "1001"
    types = [e["type"] for e in evidence.stream_events(call_id=row.id)]
    assert "call.queued" in types and "queue.caller_join" in types
    assert row.outcome == "queued"
    assert bridge.poll() is None
