"""The satisfaction survey in the IVR (issue 18): the FastAGI script ``survey`` and what its
steps share with the follow-up of an answered complaint.

The AMI bridge dials the citizen (``ivr.survey_calls``) with the survey's id in SHAKWA_SURVEY;
the answered call runs config/survey.yaml through the menu engine, so a hang-up or an error is
handled as on any call. The citizen presses 1 (solved: the case closes on their word) or 2 (not
solved: it reopens at once) and may then leave a voice comment, encrypted into the vault and
transcribed like any recording. The IVR reads out only the complaint number.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from hotline import events, satisfaction
from hotline.models import Call, Case, CaseHistory, Recording, Survey
from hotline.notifications import message
from ivr.call import TooManyTries
from ivr.errors import CallerHungUp

log = logging.getLogger(__name__)
SURVEY_VARIABLE = "SHAKWA_SURVEY"
WAV_HEADER = 44


@dataclass(frozen=True)
class Target:
    """What the call asks about: the case, its number, and the survey when one was dialled."""

    case_id: int
    number: str
    survey_id: int | None = None


def run(agi, clock):
    """FastAGI script ``survey``: the answered survey call, run by config/survey.yaml."""
    from ivr.engine import run_call
    from ivr.menu import load

    return run_call(agi, mode="survey", clock=clock, menu=load("survey.yaml"), answered=True,
                    greeted=True)


def dialled(call) -> Target | None:
    """The survey this call was dialled for (SHAKWA_SURVEY), tied to the call; the call takes
    the survey's language and the citizen's number. None when there is no such survey."""
    text = (call.agi.get_full_variable("${%s}" % SURVEY_VARIABLE) or "").strip()
    if not text.isdigit():
        return None
    found: list[Target] = []

    def tie(session) -> None:
        survey = session.get(Survey, int(text))
        case = session.get(Case, survey.case_id) if survey is not None else None
        if case is None:
            return
        survey.call_id = call.call_id
        row = session.get(Call, call.call_id) if call.call_id else None
        if row is not None:
            row.caller = message.phone_of(session, case)  # the citizen, not our caller ID
        call.language = survey.language
        found.append(Target(case.id, case.number, survey.id))

    call.write(tie)
    if found:
        call.agi.set_variable("CHANNEL(language)", call.language)
    return found[0] if found else None


def ask(call, options, target: Target) -> str | None:
    """Solved or not? Acts on the answer; the next step's name."""
    choices = {str(k): v for k, v in options["choices"].items()}
    try:
        key = call.choose(options["question_prompt"], choices)
    except TooManyTries:
        no_answer(call, target, "no valid key")
        return options["next"]
    except CallerHungUp:
        no_answer(call, target, "hung up")
        raise
    solved = choices[key] == "solved"
    outcome: list[str] = []
    call.write(lambda session: outcome.append(satisfaction.answer(
        session, session.get(Case, target.case_id), solved, via="ivr", call_id=call.call_id)))
    if not outcome:
        call.play("technical_error")
        return options["next"]
    call.record_step(options["question_prompt"], key, outcome[0])
    if outcome[0] == "reopened":
        call.complaint.extra["survey_case"] = target
        return options["not_solved_next"]
    call.play(options["solved_prompt"] if outcome[0] == "closed" else options["late_prompt"])
    return options["next"]


def no_answer(call, target: Target, why: str) -> None:
    """The citizen gave no answer to a dialled survey: one try counted (hotline.satisfaction)."""
    if target.survey_id is None:
        return

    def count(session) -> None:
        survey = session.get(Survey, target.survey_id, with_for_update=True)
        if survey is not None and survey.state == "asking":
            satisfaction.attempt_failed(session, survey, why)

    call.write(count)


def comment_path(call) -> Path:
    """Where Asterisk records the comment (no extension): the spool, named by the channel."""
    name = re.sub(r"[^0-9A-Za-z.-]", "_", call.uniqueid)
    return call.conf.spool_dir / f"{name}-comment"


def keep_comment(call, target: Target, base: Path, fmt: str) -> int | None:
    """Hand a recorded comment to the vault (encrypted, then transcribed), noted in the case's
    history for the entity; an empty take is deleted. The recording's id, or None."""
    from ivr import complaints

    path = base.with_name(f"{base.name}.{'WAV' if fmt == 'wav49' else fmt}")
    if not path.is_file() or path.stat().st_size <= WAV_HEADER:
        path.unlink(missing_ok=True)
        return None
    kept: list[int] = []

    def add(session) -> None:
        recording = Recording(kind="survey_comment", case_id=target.case_id, call_id=call.call_id,
                              status="spooled", spool_path=str(path), source_format=fmt)
        session.add(recording)
        session.flush()
        if target.survey_id is not None:
            session.get(Survey, target.survey_id).recording_id = recording.id
        session.add(CaseHistory(case_id=target.case_id, actor=satisfaction.CITIZEN, event="citizen_words",
                                note=f"[تعليق صوتي — voice comment, recording {recording.id}]"))
        case = session.get(Case, target.case_id)
        events.publish_after_commit(session, events.Event(
            "case.citizen_words", case_id=target.case_id, call_id=call.call_id,
            payload={"number": target.number, "via": "ivr", "recording_id": recording.id,
                     "entity_id": case.entity_id}))
        kept.append(recording.id)

    if not call.write(add):
        log.warning("call %s: the comment stays in the spool (database unavailable)", call.uniqueid)
        return None
    complaints.hand_over(kept[0])
    return kept[0]
