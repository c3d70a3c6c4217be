"""A call centre's queue on a real Asterisk: agents join and pause from their console state, a
paused agent gets no call, and an agent's conversation is recorded into the vault for review."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline import db, settings, users
from hotline.models import Recording
from tests.pbx import callers, evidence
from tests.pbx.conftest import CLASSIC, wait_until
from tests.pbx.conftest import deployed
from tests.support import pbx
from tests.support.pbx import Caller


@pytest.fixture
def centre(asterisk, prompts, tmp_path, isolated_settings, request):
    """A deployment whose agents are harness extensions (Local/<ext>@harness-agents), with the
    AMI bridge running and agent1 (extension 1001) signed in to no queue yet."""
    extra = {"agent_interface": '"Local/{extension}@harness-agents/n"', "queue_wrapup_seconds": "1",
             **getattr(request.node, "extra_settings", {})}
    for hotline in deployed(asterisk, prompts, tmp_path, extra):
        with db.session_scope() as session:
            hotline.agent_id = users.create_user(session, username="agent1", password="agent-password-1",
                                                 role="agent", extension="1001").id
        hotline.start("ami", ready="bridging")
        yield hotline


def _set_state(hotline, state: str, reason: str | None = None) -> None:
    from agent_console import agents

    with db.session_scope() as session:
        agents.set_state(session, hotline.agent_id, state, reason)


def _member_event(hotline, kind: str, **fields):
    return hotline.pbx.ami.wait_for(
        lambda e: e.get("Event") == kind and e.get("Interface", "").startswith("Local/1001@harness-agents")
        and all(e.get(k) == v for k, v in fields.items()), f"{kind} {fields}", 30)


def test_agent_state_drives_the_queue_and_the_call_is_recorded(centre, prompts, spoken):
    hotline = centre
    _set_state(hotline, "available")
    _member_event(hotline, "QueueMemberAdded")
    # Paused (a break): Asterisk offers the agent nothing; the caller waits, then gives up.
    _set_state(hotline, "paused", "break")
    _member_event(hotline, "QueueMemberPause", Paused="1")
    waiting = Caller("01000000001").at("language", 1500).keys("1").at("main_menu", 1200).keys("0") \
        .at("agent", 9000).hangup()
    call = hotline.pbx.place(waiting, extension=CLASSIC)
    hotline.pbx.wait_ended(call, 120)
    assert not hotline.pbx.ami.find(lambda e: e.get("Event") in ("AgentCalled", "AgentConnect"))
    # Available again: a complaint, then 0 after the number; the agent answers and talks.
    _set_state(hotline, "available")
    _member_event(hotline, "QueueMemberPause", Paused="0")
    agent_voice = pbx.speak("مرحبا، معك خدمة العملاء، كيف أساعدك", hotline.root / "agent.wav")
    hotline.pbx.ami.action({"Action": "Setvar", "Variable": "AGENT_SAY", "Value": str(agent_voice.with_suffix(""))})
    number_digits = 2 + settings.get().complaint_sequence_digits + 1  # year, sequence, check digit
    talker = callers.to_recording(Caller("01000000002"), prompts).say(spoken).keys("#") \
        .at("recording_menu").keys("3") \
        .at("read_number", callers.into_menu_after_number(prompts, number_digits)).keys("0") \
        .at("agent").wait(15)
    call = hotline.pbx.place(talker, extension=CLASSIC)
    connect = hotline.pbx.ami.wait_for(lambda e: e.get("Event") == "AgentConnect", "AgentConnect", 120)
    assert connect["Interface"].startswith("Local/1001@harness-agents")
    hotline.pbx.wait_ended(call, 180)
    rows = {row.caller: row for row in evidence.call_rows()}
    case = evidence.case_of(rows["01000000002"].id)

    def sealed():
        with db.session_scope() as session:
            row = session.scalar(select(Recording).where(Recording.kind == "agent_call"))
            if row is not None and row.status == "stored":
                session.expunge(row)
                return row
            return None

    recording = wait_until(sealed, "the agent's call sealed into the vault", 60)
    assert (recording.case_id, recording.agent_user_id) == (case.id, hotline.agent_id)
    assert recording.call_id == rows["01000000002"].id
    assert evidence.decrypted(recording, hotline.identity)[:4] == b"RIFF"
    assert recording.duration_ms > 2000, recording.duration_ms
    # The clear file goes once the row naming the vault file is committed (a moment later).
    wait_until(lambda: evidence.plaintext_audio(hotline.conf.var_dir, hotline.conf.sounds_dir) == [],
               "no clear audio left in the spool", 20)


@pytest.fixture
def callback_settings(request):
    request.node.extra_settings = {"callback_offer_seconds": "5", "callback_retry_seconds": "3",
                                   "callback_dial": '"Local/{number}@harness-citizens"'}


def test_a_caller_keeps_their_place_and_is_called_back(callback_settings, centre, prompts):
    from hotline.models import Callback

    hotline = centre
    _set_state(hotline, "paused", "meeting")  # nobody free: the caller waits
    hotline.pbx.ami.action({"Action": "Setvar", "Variable": "CITIZEN_BUSY", "Value": "1"})
    wait_in_queue = callers.prompt_seconds(prompts, "transferring_to_agent") + 8.5
    caller = Caller("01000000007").at("language", 1500).keys("1").at("main_menu", 1200).keys("0") \
        .at("agent", round(1000 * wait_in_queue)).keys("1").wait(8)
    call = hotline.pbx.place(caller, extension=CLASSIC)
    hotline.pbx.wait_ended(call, 120)
    [row] = wait_until(lambda: (rows := evidence.call_rows()) and rows[0].ended_at and rows, "the call's end")
    assert row.outcome == "callback", [(s.step, s.input, s.result) for s in evidence.steps_of(row.id)]
    played = hotline.pbx.played(call)
    assert any("/callback_offer" in p for p in played) and any("/ar/callback_confirmed" in p for p in played)
    with db.session_scope() as session:
        waiting = session.scalars(select(Callback)).one()
        assert (waiting.state, waiting.call_id, waiting.attempts) == ("waiting", row.id, 0)
    # An agent is free: the bridge dials the citizen (busy once, then answered) into the queue.
    _set_state(hotline, "available")
    connect = hotline.pbx.ami.wait_for(lambda e: e.get("Event") == "AgentConnect", "the callback's agent", 90)
    assert connect["Interface"].startswith("Local/1001@harness-agents")
    tries = hotline.pbx.ami.find(lambda e: e.get("UserEvent") == "HarnessCitizen")
    assert [(e["number"], e.get("busy")) for e in tries] == [("01000000007", "yes"), ("01000000007", None)]

    def connected():
        with db.session_scope() as session:
            row = session.scalars(select(Callback)).one()
            return row.state == "connected" and (row.attempts, [h["result"] for h in row.history])

    assert wait_until(connected, "the callback recorded as connected", 30) == (2, ["busy", "answered"])
    types = [e["type"] for e in evidence.stream_events(call_id=row.id)]
    assert "queue.callback_requested" in types and types.count("queue.callback_attempt") == 2
