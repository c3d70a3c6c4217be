"""Follow-up, hang-ups, wrong keys, the agent queue, ten calls at once: on a real Asterisk 22,
classic AGI and FastAGI."""
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
def test_follow_up_by_number(mode, hotline, prompts):
    number = _seed_case("01001234567", callers.NATIONAL_ID)
    own = (Caller("01001234567").at("language", 1500).keys("1").at("main_menu").keys("2")
           .at("follow_up", 1200).keys(number + "#").at("goodbye", 500).wait(3))
    # From another phone the caller proves it with the ID's last four digits, then '#'.
    other = (Caller("01119998888").at("language", 1500).keys("1").at("main_menu").keys("2")
             .at("follow_up", 1200).keys(number + "#")
             .wait(prompt_seconds(prompts, "verify_identity") * 0.5).keys("4567#")
             .at("goodbye", 500).wait(3))
    placed = hotline.pbx.place_many([own, other], extension=_serve(hotline, mode))
    for call in placed:
        hotline.pbx.wait_ended(call, 180)
    rows = _by_caller(wait_until(_ended(2), "both calls' ends"))
    for phone, call in zip(("01001234567", "01119998888"), placed):
        steps = evidence.steps_of(rows[phone].id)
        follow = [s for s in steps if s.step == "follow_up"]
        assert [(s.input, s.result) for s in follow] == [(number, "received")], [(s.step, s.input, s.result) for s in steps]
        played = hotline.pbx.played(call)
        assert any("/ar/status_received" in p for p in played), played
        assert ("verify_identity" in " ".join(played)) == (phone == "01119998888")


@pytest.mark.parametrize("mode", MODES)
def test_hangups_lose_nothing(mode, hotline, prompts, spoken):
    at_menu = Caller("01000000001").at("language", 1500).keys("1").at("main_menu", 1500).hangup()
    typing_id = (Caller("01000000002").at("language", 1500).keys("1")
                 .at("main_menu").keys("1").at("category").keys("2").at("governorate").keys("3")
                 .at("national_id", 1500).keys("2900101").hangup())
    recording = callers.to_recording(Caller("01000000003"), prompts).say(spoken).hangup()
    placed = hotline.pbx.place_many([at_menu, typing_id, recording], extension=_serve(hotline, mode))
    for call in placed:
        hotline.pbx.wait_ended(call, 180)
    rows = _by_caller(wait_until(_ended(3), "three calls' ends"))
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


@pytest.mark.parametrize("mode", MODES)
def test_three_wrong_keys_take_the_caller_to_an_agent(mode, hotline, prompts):
    retry = prompt_seconds(prompts, "invalid_choice") + 1.2
    caller = (Caller().at("language", 1500).keys("1").at("main_menu", 1500).keys("7").wait(retry)
              .keys("8").wait(retry).keys("9")
              .at("agent", round(1000 * (prompt_seconds(prompts, "transferring_to_agent") + 2))).hangup())
    call = hotline.pbx.place(caller, extension=_serve(hotline, mode))
    hotline.pbx.wait_ended(call, 120)
    [row] = wait_until(_ended(1), "the call's end")
    steps = evidence.steps_of(row.id)
    menu = [(s.input, s.result) for s in steps if s.step == "main_menu"]
    assert menu == [("7", "invalid"), ("8", "invalid"), ("9", "invalid")], menu
    assert steps[-2].step == "agent" and steps[-2].result == "queued", [(s.step, s.input, s.result) for s in steps]
    assert row.outcome == "queued" and row.hung_up
    played = hotline.pbx.played(call)
    assert sum("/ar/invalid_choice" in p for p in played) == 3


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


@pytest.mark.parametrize("mode", MODES)
def test_ten_calls_at_once(mode, hotline, prompts, spoken):
    people = [callers.whole_complaint(prompts, spoken, number=f"0100000{n:04d}") for n in range(10)]
    placed = hotline.pbx.place_many(people, extension=_serve(hotline, mode))
    for call in placed:
        hotline.pbx.wait_ended(call, 400)
    rows = wait_until(_ended(10), "ten calls' ends", 120)
    numbers = set()
    for row, call in zip(sorted(rows, key=lambda r: r.caller), sorted(placed, key=lambda c: c.caller.number)):
        assert row.outcome == "completed", (row.caller, row.outcome, [(s.step, s.result) for s in evidence.steps_of(row.id)])
        case = evidence.case_of(row.id)
        digits = "".join(p.rsplit("digit_", 1)[1][0] for p in hotline.pbx.played(call) if "/ar/digit_" in p)
        assert digits == case.number
        numbers.add(case.number)
        assert [r.status for r in evidence.recordings_of(case.id)] == ["stored"]
    assert len(numbers) == 10
    assert evidence.plaintext_audio(hotline.conf.var_dir, hotline.conf.sounds_dir) == []
