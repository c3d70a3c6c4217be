"""The AMI bridge's survey dialler against a recording AMI session (the real one is driven in
tests/pbx/test_pbx_survey.py): what it originates, and what busy or no answer does."""
from __future__ import annotations

from types import SimpleNamespace

from hotline import settings
from ivr.survey_calls import AT_ONCE, SurveyCalls
from tests.loop import world


class Session:
    """Keeps the actions sent, as pyst2's Manager would send them."""

    def __init__(self):
        self.actions: list[dict] = []

    def send_action(self, action: dict) -> None:
        self.actions.append(action)




def test_a_due_survey_is_originated_into_the_survey_context(officers):
    settings.install(settings.get().replace(survey_dial="PJSIP/{number}@trunk", survey_caller_id="16528"))
    case_id = world.routed_case(language="en")
    world.answer(case_id)
    dialler, ami = SurveyCalls(), Session()
    dialler.tick(ami)
    [originate] = ami.actions
    [survey] = world.surveys()
    assert originate["Action"] == "Originate" and originate["Channel"] == f"PJSIP/{world.PHONE}@trunk"
    assert (originate["Context"], originate["Exten"], originate["CallerID"]) == ("shakwa-survey", "s", "16528")
    assert originate["Variable"] == [f"SHAKWA_SURVEY={survey.id}", "SHAKWA_LANGUAGE=en"]
    assert (survey.state, survey.attempts) == ("asking", 1)
    dialler.tick(ami)
    assert len(ami.actions) == 1  # asked already: not dialled twice
    dialler.on_event(SimpleNamespace(name="OriginateResponse", headers={
        "ActionID": originate["ActionID"], "Response": "Failure", "Reason": "5"}))
    [survey] = world.surveys()
    assert (survey.state, survey.history[-1]["result"]) == ("due", "busy")


def test_answered_calls_are_the_ivrs_and_at_most_a_few_ring_at_once(officers):
    for _ in range(AT_ONCE + 2):
        world.answer(world.routed_case())
    dialler, ami = SurveyCalls(), Session()
    dialler.tick(ami)
    assert len(ami.actions) == AT_ONCE
    dialler.on_event(SimpleNamespace(name="OriginateResponse", headers={
        "ActionID": ami.actions[0]["ActionID"], "Response": "Success", "Reason": "4"}))
    assert [s.state for s in world.surveys()].count("asking") == AT_ONCE
    dialler.tick(ami)
    assert len(ami.actions) == AT_ONCE + 1  # one place free again


def test_nothing_is_dialled_in_the_quiet_hours(officers):
    settings.install(settings.get().replace(survey_quiet_hours="00:00-24:00"))
    world.answer(world.routed_case())
    ami = Session()
    SurveyCalls().tick(ami)
    assert ami.actions == []
