"""Every transition of closing the loop, each in the history and the audit trail: reopening up
the hierarchy, closing by the citizen's word or by silence, the escalation ladder, retries and
the SMS fallback, quiet hours; and never closing by the entity alone."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hotline import cases, db, escalation, loop_sweep, satisfaction, settings
from hotline.models import Case, CaseStatus, Survey, utcnow
from tests.loop import world


def citizen_says(case_id: int, solved: bool, words: str | None = None, via: str = "ivr") -> str:
    with db.session_scope() as session:
        return satisfaction.answer(session, session.get(Case, case_id), solved, via=via, words=words)




def test_not_solved_goes_back_then_up_the_hierarchy_then_to_the_centre(officers):
    case_id = world.routed_case()
    world.answer(case_id, "unit_officer")
    first_due = world.case_row(case_id).due_at
    assert citizen_says(case_id, False, "لسه القمامة موجودة") == "reopened"
    assert world.history(case_id)[-1] == ("citizen", "answered", "routed", "reopened", world.UNIT,
                                          "لسه القمامة موجودة")
    assert world.case_row(case_id).due_at > first_due  # the entity gets time for a new answer
    world.answer(case_id, "unit_officer", "رفعناها مرة أخرى")
    assert citizen_says(case_id, False, "ما زالت هناك") == "reopened"
    assert world.history(case_id)[-1][:5] == ("citizen", "answered", "routed", "reopened_to_parent",
                                              world.GOVERNORATE)
    world.answer(case_id, "governorate_officer", "كلفنا الحي بالرفع اليومي")
    assert citizen_says(case_id, False) == "reopened"  # nobody above the governorate: the centre
    case = world.case_row(case_id)
    assert (case.status, world.history(case_id)[-1][3]) == (CaseStatus.received, "reopened_to_centre")
    reopened = [d for action, actor, d in world.audits(case_id) if action == "case.reopened"]
    assert [(d["time"], d["from"], d["to"]) for d in reopened] == [
        (1, world.UNIT, world.UNIT), (2, world.UNIT, world.GOVERNORATE), (3, world.GOVERNORATE, "centre")]
    assert [s.result for s in world.surveys(case_id)] == ["not_solved"] * 3




def test_solved_closes_on_the_citizens_word_and_a_late_word_changes_nothing(officers):
    case_id = world.routed_case()
    world.answer(case_id)
    assert citizen_says(case_id, True) == "closed"
    assert world.history(case_id)[-1][:4] == ("citizen", "answered", "closed", "citizen_solved")
    assert ("case.closed", "citizen", {"by": "citizen", "via": "ivr"}) in world.audits(case_id)
    assert citizen_says(case_id, False, "بل لم تحل") == "late"
    assert world.case_row(case_id).status == CaseStatus.closed


def test_silence_closes_an_answered_case_after_the_configured_days(officers):
    settings.install(settings.get().replace(close_silent_days=5))
    case_id = world.routed_case()
    world.answer(case_id)
    assert loop_sweep.close_silent(utcnow() + timedelta(days=4)) == 0
    assert loop_sweep.close_silent(utcnow() + timedelta(days=5, minutes=1)) == 1
    assert world.history(case_id)[-1][:4] == ("silence", "answered", "closed", "closed_silent")
    assert ("case.closed", "silence", {"by": "silence", "days": 5}) in world.audits(case_id)
    assert world.latest_survey(case_id).state == "unanswered"


def test_the_ladder_reminds_then_goes_up_each_step_audited(officers):
    conf = settings.get().replace(escalation_reminder_hours=2, escalation_parent_hours=24,
                                  escalation_parent_hours_by_kind={"governorate": 48},
                                  escalation_answer_days=3)
    settings.install(conf)
    case_id = world.routed_case()
    due = world.case_row(case_id).due_at
    assert loop_sweep.ladder(due + timedelta(hours=1)) == 0  # late, but not yet reminded
    assert loop_sweep.ladder(due + timedelta(hours=30)) == 1  # reminded first, even when late
    assert world.history(case_id)[-1][:5] == ("escalation", None, None, "reminded", world.UNIT)
    assert loop_sweep.ladder(due + timedelta(hours=31)) == 0  # the reminder's lead time (22 h)
    moment = due + timedelta(hours=30 + 22)
    assert loop_sweep.ladder(moment) == 1
    assert world.history(case_id)[-1][:5] == ("escalation", "routed", "routed", "escalated", world.GOVERNORATE)
    case = world.case_row(case_id)
    assert abs(case.due_at - (moment + timedelta(days=3))) < timedelta(seconds=1)
    # The governorate is reminded too, then (48 h for governorates) the case goes to the centre.
    assert loop_sweep.ladder(case.due_at + timedelta(hours=2)) == 1
    assert world.history(case_id)[-1][3:5] == ("reminded", world.GOVERNORATE)
    assert loop_sweep.ladder(case.due_at + timedelta(hours=47)) == 0
    assert loop_sweep.ladder(case.due_at + timedelta(hours=48)) == 1
    assert world.history(case_id)[-1][:4] == ("escalation", "routed", "received", "escalated_to_centre")
    steps = [(a, d["entity"], d["to"]) for a, actor, d in world.audits(case_id) if actor == "escalation"]
    assert steps == [("case.reminded", world.UNIT, world.UNIT), ("case.escalated", world.UNIT, world.GOVERNORATE),
                     ("case.reminded", world.GOVERNORATE, world.GOVERNORATE),
                     ("case.escalated", world.GOVERNORATE, "centre")]


def test_an_answer_stops_the_ladder(officers):
    case_id = world.routed_case()
    due = world.case_row(case_id).due_at
    assert loop_sweep.ladder(due + timedelta(hours=1)) == 1
    world.answer(case_id)
    assert loop_sweep.ladder(due + timedelta(days=30)) == 0


def test_unanswered_calls_are_retried_then_asked_by_sms_then_given_up(officers):
    settings.install(settings.get().replace(survey_attempts=2, survey_retry_minutes=60))
    case_id = world.routed_case()
    world.answer(case_id)
    now = utcnow()
    for attempt in (1, 2):
        with db.session_scope() as session:
            [survey] = satisfaction.due(session, "ivr", now)
            satisfaction.asked(session, survey, "dialled", now)
            state = satisfaction.attempt_failed(session, survey, "no answer", now)
        now += timedelta(minutes=61)
    assert (state, world.latest_survey(case_id).channel) == ("due", "sms")  # the calls ran out: SMS now
    with db.session_scope() as session:
        [survey] = satisfaction.due(session, "sms", now)
        satisfaction.asked(session, survey, "sent", now)
    assert loop_sweep.time_out(now + timedelta(minutes=59)) == 0
    assert loop_sweep.time_out(now + timedelta(minutes=61)) == 1  # no reply: asked again later
    with db.session_scope() as session:
        survey = session.get(Survey, world.latest_survey(case_id).id)
        satisfaction.asked(session, survey, "sent", now + timedelta(hours=2))
    assert loop_sweep.time_out(now + timedelta(hours=4)) == 1
    survey = world.latest_survey(case_id)
    assert (survey.state, [h["result"] for h in survey.history]) == (
        "unanswered", ["dialled", "no answer", "dialled", "no answer", "sent", "no reply", "sent", "no reply"])
    actions = [a for a, _actor, _d in world.audits(case_id) if a.startswith("survey.")]
    assert actions.count("survey.asked") == 4 and actions[-1] == "survey.unanswered"


def test_quiet_hours_hold_the_question_until_morning(officers):
    settings.install(settings.get().replace(survey_quiet_hours="21:00-09:00"))
    cairo = ZoneInfo("Africa/Cairo")
    night = datetime(2025, 3, 3, 22, 30, tzinfo=cairo)
    from hotline import quiet_hours

    assert quiet_hours.is_quiet(night) and quiet_hours.is_quiet(night + timedelta(hours=10))
    assert not quiet_hours.is_quiet(night + timedelta(hours=10, minutes=31))
    assert quiet_hours.next_allowed(night) == datetime(2025, 3, 4, 9, 0, tzinfo=cairo)
    case_id = world.routed_case()
    world.answer(case_id)
    with db.session_scope() as session:
        assert satisfaction.due(session, "ivr", night) == []  # nothing dialled at night
        morning = datetime(2025, 3, 4, 9, 5, tzinfo=cairo)
        session.get(Survey, world.latest_survey(case_id).id).next_attempt_at = night
        assert len(satisfaction.due(session, "ivr", morning)) == 1


def test_a_case_that_moves_on_cancels_its_question(officers):
    case_id = world.routed_case()
    world.answer(case_id)
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        cases.route(session, case, world.entity(session, world.GOVERNORATE), actor="supervisor")
    assert world.latest_survey(case_id).state == "cancelled"
    assert "survey.cancelled" in [a for a, _actor, _d in world.audits(case_id)]


def test_no_number_to_ask_on_means_no_question_and_the_silence_closes(officers):
    case_id = world.routed_case(phone=None)
    with db.session_scope() as session:  # and the call's caller ID was withheld
        session.get(Case, case_id).call_id = None
    world.answer(case_id)
    assert world.surveys(case_id) == []
    later = utcnow() + timedelta(days=settings.get().close_silent_days, minutes=1)
    assert loop_sweep.close_silent(later) == 1


def test_escalation_candidates_are_most_overdue_first(officers):
    older, newer = world.routed_case(), world.routed_case()
    with db.session_scope() as session:
        session.get(Case, older).due_at = utcnow() - timedelta(days=3)
        session.get(Case, newer).due_at = utcnow() - timedelta(days=1)
    with db.session_scope() as session:
        assert escalation.candidates(session)[:2] == [older, newer]


def test_a_whatsapp_case_with_no_conversation_is_asked_by_sms(officers):
    from agent_console.whatsapp import survey as whatsapp_survey

    case_id = world.routed_case(channel="whatsapp")
    world.answer(case_id)
    survey = world.latest_survey(case_id)
    assert survey.channel == "whatsapp"
    assert whatsapp_survey.send(survey.id) == "due"
    assert world.latest_survey(case_id).channel == "sms"
    switched = [d for a, _actor, d in world.audits(case_id) if a == "survey.switched"]
    assert switched == [{"channel": "sms", "reason": "no WhatsApp conversation to write to"}]


def test_the_hierarchy_above_an_authority_is_its_ministry_then_the_centre(officers):
    from hotline.reopening import above

    with db.session_scope() as session:
        ministry = above(world.entity(session, "hc-water"))
        assert ministry.code == "min-housing" and above(ministry) is None
        assert above(world.entity(session, world.UNIT)).code == world.GOVERNORATE


def test_wrong_loop_settings_are_refused_with_the_settings_name():
    import pytest

    from hotline.errors import SettingsError

    for bad, named in ((dict(survey_channels="ivr=phone"), "survey_channels"),
                       (dict(survey_quiet_hours="nine to five"), "survey_quiet_hours"),
                       (dict(survey_attempts="0"), "survey_attempts"),
                       (dict(escalation_reminder_hours="48", escalation_parent_hours="24"), "escalation_parent_hours"),
                       (dict(escalation_parent_hours_by_kind="village=12"), "escalation_parent_hours_by_kind"),
                       (dict(survey_dial="PJSIP/trunk"), "survey_dial")):
        with pytest.raises(SettingsError, match=named):
            settings.load(environ={}, **bad)
