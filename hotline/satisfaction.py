"""Asking the citizen whether an answer solved their problem, and what their word does.

When an entity answers, a :class:`~hotline.models.Survey` is due on the channel the citizen
used (``survey_channels``), ``survey_delay_minutes`` later and never in the quiet hours. The AMI
bridge calls the IVR's surveys (``ivr.survey_calls``); :mod:`hotline.loop_sweep` sends the SMS
and WhatsApp ones. Each try is counted; an unanswered one is tried again ``survey_attempts``
times, a call that ran out falling back to SMS. "Solved" closes the case on the citizen's word;
"not solved" reopens it (:mod:`hotline.reopening`). Every transition is in the audit trail, and
what a citizen is told names only their complaint number.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline import audit, db, events, quiet_hours, settings
from hotline.models import Case, CaseStatus, Response, Survey, utcnow
from hotline.notifications import message

log = logging.getLogger(__name__)
PENDING = ("due", "asking")
CITIZEN = "citizen"
CALL_WATCH = timedelta(minutes=15)  # a survey call with no outcome by then counts as unanswered


def on_status(session: Session, case: Case, to: CaseStatus) -> None:
    """Follow a status change (hotline.cases): an answer is asked about; any other move ends
    the questions still waiting about the answer before."""
    if to == CaseStatus.answered:
        _measure(session, case)
        schedule(session, case)
    else:
        _cancel_pending(session, case.id, f"case {to.value}")


def _measure(session: Session, case: Case) -> None:
    """Keep the due date the newest answer was given against (on time or late, for good)."""
    answer = session.scalar(select(Response).where(Response.case_id == case.id)
                            .order_by(Response.id.desc()).limit(1))
    if answer is not None and answer.due_at is None:
        answer.due_at = case.due_at


def channel_for(session: Session, case: Case) -> str | None:
    """The channel the citizen is asked on, or None when they cannot be asked."""
    channel = settings.get().survey_channels.get(case.channel)
    if channel in (None, "none"):
        return None
    if channel in ("ivr", "sms") and message.recipient(session, case) is None:
        return None  # no number to call or write to: the case closes after the silence
    return channel


def schedule(session: Session, case: Case) -> Survey | None:
    """A survey of the case's newest answer, due after the delay (outside the quiet hours)."""
    _cancel_pending(session, case.id, "answered again")
    channel = channel_for(session, case)
    if channel is None:
        return None
    answer = session.scalar(select(Response).where(Response.case_id == case.id)
                            .order_by(Response.id.desc()).limit(1))
    when = quiet_hours.next_allowed(utcnow() + timedelta(minutes=settings.get().survey_delay_minutes))
    survey = Survey(case_id=case.id, response_id=answer.id if answer else None,
                    entity_id=(answer.entity_id if answer else None) or case.entity_id,
                    channel=channel, language=case.language, state="due", attempts=0,
                    next_attempt_at=when, history=[])
    session.add(survey)
    session.flush()
    _audit(session, survey, "survey.scheduled", channel=channel, due=when.isoformat())
    return survey


def due(session: Session, channel: str, now: datetime | None = None, limit: int = 20) -> list[Survey]:
    """Surveys of ``channel`` to ask now (none in the quiet hours), locked for the caller."""
    now = now or utcnow()
    if quiet_hours.is_quiet(now):
        return []
    stmt = (select(Survey).where(Survey.state == "due", Survey.channel == channel,
                                 Survey.next_attempt_at <= now)
            .order_by(Survey.next_attempt_at).limit(limit))
    if db.is_postgresql():
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt))


def to_ask(session: Session, survey_id: int, channel: str) -> tuple[Survey | None, Case | None]:
    """A send job's survey, locked, with its case, when it is still due on ``channel``; else
    (None, None): a job run twice, or overtaken (answered, cancelled, moved to another channel)."""
    survey = session.get(Survey, survey_id, with_for_update=True)
    if survey is None or survey.state != "due" or survey.channel != channel:
        return None, None
    return survey, session.get(Case, survey.case_id)


def asked(session: Session, survey: Survey, result: str = "sent", now: datetime | None = None) -> None:
    """A try went out (a call dialled, a message sent): the citizen's answer is awaited until
    ``next_attempt_at``."""
    now = now or utcnow()
    survey.state, survey.attempts = "asking", survey.attempts + 1
    wait = CALL_WATCH if survey.channel == "ivr" else timedelta(minutes=settings.get().survey_retry_minutes)
    survey.next_attempt_at = now + wait
    _note(survey, now, result)
    _audit(session, survey, "survey.asked", channel=survey.channel, attempt=survey.attempts)


def attempt_failed(session: Session, survey: Survey, result: str, now: datetime | None = None) -> str:
    """A try brought no answer (busy, no answer, hung up, no reply, not delivered): try again,
    fall back from calls to SMS, or give up. Returns the survey's new state."""
    now = now or utcnow()
    conf = settings.get()
    if survey.state not in PENDING:
        return survey.state
    _note(survey, now, result)
    case = session.get(Case, survey.case_id)
    if survey.attempts < conf.survey_attempts:
        survey.state = "due"
        survey.next_attempt_at = quiet_hours.next_allowed(now + timedelta(minutes=conf.survey_retry_minutes))
    elif survey.channel == "ivr" and conf.survey_fallback_sms and message.recipient(session, case):
        survey.channel, survey.attempts, survey.state = "sms", 0, "due"
        survey.next_attempt_at = quiet_hours.next_allowed(now)
    else:
        survey.state = "unanswered"
    _audit(session, survey, "survey.unanswered" if survey.state == "unanswered" else "survey.retry",
           channel=survey.channel, attempt=survey.attempts, result=result)
    return survey.state


def switch(session: Session, survey: Survey, channel: str, why: str) -> None:
    """Ask on another channel (a WhatsApp case with no conversation to write to: SMS)."""
    case = session.get(Case, survey.case_id)
    if channel in ("ivr", "sms") and message.recipient(session, case) is None:
        survey.state = "unanswered"
    else:
        survey.channel, survey.attempts, survey.state = channel, 0, "due"
    _note(survey, utcnow(), why)
    _audit(session, survey, "survey.switched", channel=survey.channel, reason=why)


def answer(session: Session, case: Case, solved: bool, *, via: str, words: str | None = None,
           call_id: int | None = None, recording_id: int | None = None) -> str:
    """The citizen's word on the case's answer, by any channel (a survey, a follow-up call):
    "solved" closes the case, "not solved" reopens it. Returns closed, reopened, or late (the
    case is not answered: nothing to decide)."""
    from hotline import cases as lifecycle, reopening

    if case.status != CaseStatus.answered:
        return "late"
    survey = pending(session, case.id) or Survey(
        case_id=case.id, entity_id=case.entity_id, channel=via, language=case.language,
        attempts=0, history=[])
    if survey.id is None:
        session.add(survey)
    now = utcnow()
    survey.state, survey.result, survey.answered_via = "answered", "solved" if solved else "not_solved", via
    survey.answered_at, survey.call_id, survey.recording_id = now, call_id, recording_id
    _note(survey, now, survey.result)
    session.flush()
    _audit(session, survey, "survey.answered", actor=CITIZEN, result=survey.result, via=via)
    if not solved:
        reopening.reopen(session, case, words=words, via=via)
        return "reopened"
    lifecycle.change_status(session, case, CaseStatus.closed, actor=CITIZEN, note=words or None,
                            event="citizen_solved")
    audit.record(session, "case.closed", actor=CITIZEN, object_type="case", object_id=case.id,
                 case_id=case.id, detail={"by": "citizen", "via": via})
    return "closed"


def pending(session: Session, case_id: int) -> Survey | None:
    """The survey still waiting for the citizen's word on this case, if any."""
    return session.scalar(select(Survey).where(Survey.case_id == case_id, Survey.state.in_(PENDING))
                          .order_by(Survey.id.desc()).limit(1))


def _cancel_pending(session: Session, case_id: int, why: str) -> None:
    for survey in session.scalars(select(Survey).where(Survey.case_id == case_id,
                                                       Survey.state.in_(PENDING))):
        survey.state = "cancelled"
        _note(survey, utcnow(), why)
        _audit(session, survey, "survey.cancelled", reason=why)


def _note(survey: Survey, at: datetime, result: str) -> None:
    survey.history = [*(survey.history or []), {"at": at.isoformat(), "channel": survey.channel,
                                                 "result": result}]


def _audit(session: Session, survey: Survey, action: str, *, actor: str = "satisfaction",
           **detail) -> None:
    session.flush()
    audit.record(session, action, actor=actor, object_type="survey", object_id=survey.id,
                 case_id=survey.case_id, detail=detail)
    events.publish_after_commit(session, events.Event(
        f"case.{action.replace('.', '_')}", case_id=survey.case_id,
        payload={"survey_id": survey.id, "state": survey.state, "channel": survey.channel,
                 "entity_id": survey.entity_id, **{k: v for k, v in detail.items() if k != "reason"}}))
