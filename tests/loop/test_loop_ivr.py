"""The IVR's survey on the AGI simulator (fast; the real Asterisk runs the same in tests/pbx):
1 closes, 2 reopens and records a comment into the vault, no key counts as an unanswered try,
a hang-up while talking keeps the words, and a follow-up call by number can do the same."""
from __future__ import annotations

from sqlalchemy import select

from hotline import db
from hotline.models import Call, CallStep, Recording, Survey
from ivr import survey, testing
from ivr.sim.caller import HangUp, Press, Silence, Speak
from recordings import vault
from tests.loop import world


def dial_survey(case_id: int, actions, number: str = world.PHONE):
    """What the AMI bridge does, then the call as Asterisk hands it to the FastAGI script."""
    with db.session_scope() as session:
        row = session.scalars(select(Survey).where(Survey.case_id == case_id)).one()
        from hotline import satisfaction

        satisfaction.asked(session, row, "dialled")
        survey_id = row.id
    sim = testing.fake_asterisk(actions=actions, caller="16528", script="survey")
    sim.variables[survey.SURVEY_VARIABLE] = str(survey_id)
    testing.run_in_process(sim, script=survey.run)
    return sim, survey_id




def comments(case_id: int) -> list[Recording]:
    with db.session_scope() as session:
        rows = list(session.scalars(select(Recording).where(Recording.case_id == case_id,
                                                            Recording.kind == "survey_comment")))
        session.expunge_all()
        return rows


def test_two_then_a_comment_reopens_with_an_encrypted_voice_comment(officers, isolated_settings):
    case_id = world.routed_case()
    world.answer(case_id)
    sim, survey_id = dial_survey(case_id, [Press("2"), Speak(end="dtmf")])
    assert sim.steps == ["survey", "survey_comment", "goodbye"]
    assert sim.prompts[0] == "survey_intro" and "survey_reopened" in sim.prompts
    number = world.case_row(case_id).number
    # The number is read with the project's own digit prompts (Asterisk has no Arabic ones).
    assert [p for p in sim.prompts if p.startswith("digit_")] == [f"digit_{d}" for d in number]
    row = world.latest_survey(case_id)
    assert (row.state, row.result, row.answered_via) == ("answered", "not_solved", "ivr")
    [comment] = comments(case_id)
    assert row.recording_id == comment.id and comment.status == "stored"
    assert vault.resolve(comment.vault_path).read_bytes().startswith(b"age-encryption.org/v1")
    assert not list(isolated_settings.spool_dir.glob("*comment*"))  # no plaintext left
    rows = world.history(case_id)
    assert rows[-2][:5] == ("citizen", "answered", "routed", "reopened", world.UNIT)
    assert rows[-1][3] == "citizen_words" and f"recording {comment.id}" in rows[-1][5]
    with db.session_scope() as session:
        call = session.get(Call, row.call_id)
        assert (call.mode, call.caller) == ("survey", world.PHONE)  # the citizen, not our caller ID


def test_one_closes_the_case(officers):
    case_id = world.routed_case()
    world.answer(case_id)
    sim, survey_id = dial_survey(case_id, [Press("1")])
    assert sim.prompts[-2:] == ["survey_solved", "survey_goodbye"]
    assert world.case_row(case_id).status.value == "closed"
    assert world.latest_survey(case_id).result == "solved"


def test_no_key_is_an_unanswered_try_and_a_hang_up_too(officers):
    case_id = world.routed_case()
    world.answer(case_id)
    sim, survey_id = dial_survey(case_id, [Silence(), Silence(), Silence()])
    row = world.latest_survey(case_id)
    assert (row.state, row.attempts, row.history[-1]["result"]) == ("due", 1, "no valid key")
    assert world.case_row(case_id).status.value == "answered"
    _sim, survey_id = dial_survey(case_id, [HangUp()])
    assert world.latest_survey(case_id).history[-1]["result"] == "hung up"


def test_a_hang_up_while_talking_keeps_the_words(officers, isolated_settings):
    case_id = world.routed_case()
    world.answer(case_id)
    sim, survey_id = dial_survey(case_id, [Press("2"), Speak(samples=12000, end="hangup")])
    [comment] = comments(case_id)
    assert comment.status == "stored" and world.latest_survey(case_id).recording_id == comment.id
    assert world.case_row(case_id).status.value == "routed"
    assert not list(isolated_settings.spool_dir.glob("*comment*"))


def test_a_follow_up_call_by_number_can_reopen_too(officers):
    from tests.ivr.conftest import SUNDAY_10AM

    case_id = world.routed_case()
    world.answer(case_id)
    number = world.case_row(case_id).number
    sim = testing.fake_asterisk(f"1 2 {number}# 2", caller=world.PHONE)
    sim.caller.actions.append(Speak(end="dtmf"))
    testing.run_in_process(sim, clock=lambda: SUNDAY_10AM)
    assert sim.steps[-4:] == ["follow_up", "follow_up_survey", "survey_comment", "goodbye"]
    assert "status_answered" in sim.prompts and "survey_question" in sim.prompts
    assert world.history(case_id)[-1][3] in ("reopened", "citizen_words")
    assert [s.answered_via for s in world.surveys(case_id) if s.state == "answered"] == ["ivr"]




def test_the_call_says_only_the_complaint_number(officers):
    case_id = world.routed_case(consent=True)
    world.answer(case_id, text=f"اتصلنا بالسيدة {world.NAME}")
    sim, _ = dial_survey(case_id, [Press("1")])
    with db.session_scope() as session:
        steps = session.scalars(select(CallStep.input).where(CallStep.input.is_not(None))).all()
    spoken = " ".join(sim.commands)
    for identity in (world.NID, world.PHONE, world.NAME):
        assert identity not in spoken and all(identity not in (s or "") for s in steps)
