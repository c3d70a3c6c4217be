"""The satisfaction survey on a real Asterisk (issue 18): when an entity has answered, the AMI
bridge (``run_ivr.py ami``) dials the citizen with AMI Originate; the harness answers as the
citizen (Local/<number>@harness-called), the FastAGI script ``survey`` asks, the citizen presses
keys and speaks. Not solved: reopened with the voice comment sealed into the vault; solved:
closed. A follow-up call by number does the same from the IVR's main menu."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline import cases, db, satisfaction, users
from hotline.models import AuditEntry, Call, Case, CaseHistory, Complainant, Entity, Recording, Survey
from tests.pbx import callers, evidence
from tests.pbx.conftest import CLASSIC, wait_until
from tests.support import pbx
from tests.support.pbx import Called, Caller

CITIZEN = "01000000009"
UNIT, GOVERNORATE = "lu-cairo-heliopolis", "gov-cairo"
COMMENT = "القمامة ما زالت أمام البيت ولم يرفعها أحد"


@pytest.fixture
def surveyed(hotline):
    """The deployment with its survey settings: dial the harness's citizens, ask at once."""
    hotline.config.write_text(hotline.config.read_text() + "\n".join([
        'survey_dial = "Local/{number}@harness-called"', "survey_delay_minutes = 0",
        'survey_quiet_hours = ""', "survey_retry_minutes = 1", ""]))
    from tests.support.deployment import bare_env, use_settings
    from hotline import settings

    hotline.conf = use_settings(settings.load(bare_env(hotline.config)))
    with db.session_scope() as session:
        for name, code in (("unit_officer", UNIT), ("governorate_officer", GOVERNORATE)):
            users.create_user(session, username=name, password="officer-password-1",
                              role="entity_officer", entity_code=code)
    return hotline


def _answered_case() -> int:
    """A complaint of the citizen's, routed to the local unit, which answers it."""
    with db.session_scope() as session:
        person = Complainant()
        person.phone = CITIZEN
        person.give_consent(False, "ivr")
        case = cases.create_case(session, channel="ivr", actor="ivr", category="garbage",
                                 governorate="cairo", complainant=person)
        cases.route(session, case, _entity(session, UNIT), actor="agent1")
        case_id = case.id
    _answer(case_id, "unit_officer", "تم رفع القمامة")
    return case_id


def _entity(session, code):
    return session.scalar(select(Entity).where(Entity.code == code))


def _answer(case_id: int, officer: str, text: str) -> None:
    from agent_console.inbox import actions
    from hotline.models import User

    with db.session_scope() as session:
        user = session.scalar(select(User).where(User.username == officer))
        actions.answer(session, session.get(Case, case_id), user, text)


def _question_ms(prompts, number: str) -> int:
    """When the citizen can answer: after the intro, the number digit by digit and the question."""
    seconds = callers.prompt_seconds(prompts, "survey_intro") + callers.prompt_seconds(prompts, "survey_question")
    seconds += sum(callers.prompt_seconds(prompts, f"digit_{d}") for d in number)
    return round(1000 * (seconds + 1.0))


def _after_beep_ms(prompts) -> int:
    return round(1000 * (callers.prompt_seconds(prompts, "survey_comment") + 0.9))


def _survey(case_id: int) -> Survey:
    with db.session_scope() as session:
        row = session.scalars(select(Survey).where(Survey.case_id == case_id).order_by(Survey.id.desc())).first()
        session.expunge(row)
        return row


def _history(case_id: int) -> list[tuple]:
    with db.session_scope() as session:
        codes = dict(session.execute(select(Entity.id, Entity.code)).all())
        return [(h.actor, h.to_status, h.event, codes.get(h.to_entity_id), h.note) for h in session.scalars(
            select(CaseHistory).where(CaseHistory.case_id == case_id).order_by(CaseHistory.id))]


def _actions(case_id: int) -> list[str]:
    with db.session_scope() as session:
        return list(session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case_id)
                                    .order_by(AuditEntry.id)))


def test_the_survey_call_reopens_with_a_sealed_comment_then_closes(surveyed, prompts):
    hotline = surveyed
    comment = pbx.speak(COMMENT, hotline.root / "comment.wav", trailing_silence=0.5)
    case_id = _answered_case()
    with db.session_scope() as session:
        number = session.get(Case, case_id).number
    hotline.pbx.expect(Called(CITIZEN).at("survey", _question_ms(prompts, number)).keys("2")
                       .at("survey_comment", _after_beep_ms(prompts)).say(comment).keys("#")
                       .at("goodbye", 500).wait(3))
    hotline.start_fastagi()
    hotline.start("ami", ready="bridging")
    originate = hotline.pbx.ami.wait_for(lambda e: e.get("Event") == "OriginateResponse", "the survey call", 60)
    assert originate["Response"] == "Success" and originate["Channel"].startswith(f"Local/{CITIZEN}@harness-called")
    answered = wait_until(lambda: (s := _survey(case_id)).state == "answered" and s, "the citizen's answer", 120)
    assert (answered.result, answered.answered_via, answered.attempts) == ("not_solved", "ivr", 1)

    def sealed():
        with db.session_scope() as session:
            row = session.scalar(select(Recording).where(Recording.case_id == case_id,
                                                         Recording.kind == "survey_comment"))
            if row is not None and row.status == "stored":
                session.expunge(row)
                return row
        return None

    recording = wait_until(sealed, "the comment sealed into the vault", 60)
    sealed_file = hotline.conf.recordings_dir / recording.vault_path
    assert sealed_file.read_bytes().startswith(b"age-encryption.org/v1\n")  # what `age -d` reads
    assert evidence.decrypted(recording, hotline.identity)[:4] == b"RIFF"
    assert recording.duration_ms > 2000 and recording.call_id == answered.call_id
    assert _survey(case_id).recording_id == recording.id
    wait_until(lambda: evidence.plaintext_audio(hotline.conf.var_dir, hotline.conf.sounds_dir) == [],
               "no clear audio left in the spool", 20)
    with db.session_scope() as session:
        call = session.get(Call, answered.call_id)
        assert (call.mode, call.caller) == ("survey", CITIZEN)
        assert session.get(Case, case_id).status.value == "routed"
    steps = [(s.step, s.input, s.result) for s in evidence.steps_of(answered.call_id)]
    assert ("survey", "2", "reopened") in steps, steps
    history = _history(case_id)
    assert history[-2][:4] == ("citizen", "routed", "reopened", UNIT)
    assert history[-1][2] == "citizen_words" and f"recording {recording.id}" in history[-1][4]
    # Originate's channel is the IVR's leg (;1); the citizen's script ran on ;2.
    citizen = pbx.PlacedCall(Called(CITIZEN), originate["Channel"][:-1] + "2")
    played = hotline.pbx.played(citizen)
    assert any("/ar/survey_intro" in p for p in played) and any("/ar/survey_reopened" in p for p in played)
    for action in ("survey.scheduled", "survey.asked", "survey.answered", "case.reopened"):
        assert action in _actions(case_id)
    assert "case.reopened" in [e["type"] for e in evidence.stream_events(case_id=case_id)]
    # The unit answers again; the next survey call: 1, solved, and the case closes.
    hotline.pbx.expect(Called(CITIZEN).at("survey", _question_ms(prompts, number)).keys("1")
                       .at("goodbye", 500).wait(3))
    _answer(case_id, "unit_officer", "رفعنا القمامة وغسلنا الشارع")
    wait_until(lambda: _survey(case_id).state == "answered" and _survey(case_id).result == "solved",
               "the second survey's answer", 120)
    with db.session_scope() as session:
        assert session.get(Case, case_id).status.value == "closed"
    assert _history(case_id)[-1][:3] == ("citizen", "closed", "citizen_solved")
    assert "case.closed" in _actions(case_id)


def test_a_follow_up_call_by_number_reopens_to_the_entity_above(surveyed, prompts, spoken):
    hotline = surveyed
    case_id = _answered_case()
    with db.session_scope() as session:  # reopened once already (by SMS, say) and answered again
        satisfaction.answer(session, session.get(Case, case_id), False, via="sms", words="لم تحل")
        number = session.get(Case, case_id).number
    _answer(case_id, "unit_officer", "أرسلنا سيارة")
    status = callers.prompt_seconds(prompts, "status_answered") + callers.prompt_seconds(prompts, "survey_question")
    caller = (Caller(CITIZEN).at("language", 1500).keys("1").at("main_menu").keys("2")
              .at("follow_up", 1200).keys(number + "#")
              .at("follow_up_survey", round(1000 * (status + 0.5))).keys("2")
              .at("survey_comment", _after_beep_ms(prompts)).say(spoken).keys("#")
              .at("goodbye", 500).wait(3))
    call = hotline.pbx.place(caller, extension=CLASSIC)
    hotline.pbx.wait_ended(call, 180)
    wait_until(lambda: _history(case_id)[-1][2] == "citizen_words", "the caller's comment", 60)
    history = _history(case_id)
    assert history[-2][:4] == ("citizen", "routed", "reopened_to_parent", GOVERNORATE), history
    played = hotline.pbx.played(call)
    assert any("/ar/status_answered" in p for p in played) and any("/ar/survey_reopened" in p for p in played)
    with db.session_scope() as session:
        comment = session.scalar(select(Recording).where(Recording.case_id == case_id,
                                                         Recording.kind == "survey_comment"))
        assert comment is not None and comment.status in ("stored", "spooled")
