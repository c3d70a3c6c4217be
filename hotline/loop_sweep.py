"""Closing the loop's housekeeping, once a minute in every console process (issue 18).

- Survey messages that are due (SMS, WhatsApp) go to their send jobs; IVR surveys are the AMI
  bridge's (``ivr.survey_calls``).
- A survey whose reply (or call outcome) did not come in time counts as an unanswered try.
- An answered case the citizen said nothing about for ``close_silent_days`` closes.
- The escalation ladder takes its next step on overdue cases (:mod:`hotline.escalation`).

Each survey or case moves in a transaction of its own, under its row lock, and is looked at
again once locked, so several consoles can sweep at once.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select

from hotline import audit, db, escalation, jobs, periodic, satisfaction, settings
from hotline.models import Case, CaseHistory, CaseStatus, Survey, utcnow

log = logging.getLogger(__name__)
INTERVAL = 60.0  # seconds between sweeps in a console process
SENDERS = {"sms": "hotline.survey_sms.send", "whatsapp": "agent_console.whatsapp.survey.send"}
SILENCE = "silence"


def sweep(now: datetime | None = None) -> dict[str, int]:
    """One pass of everything above; how many of each were handled."""
    now = now or utcnow()
    return {"queued": send_due(now), "unanswered": time_out(now), "closed": close_silent(now),
            "ladder": ladder(now)}


def send_due(now: datetime) -> int:
    """Hand due SMS and WhatsApp surveys to their send jobs (once each: the job id is the try's)."""
    queued = []
    with db.session_scope() as session:
        for channel in SENDERS:
            for survey in satisfaction.due(session, channel, now, limit=200):
                queued.append((SENDERS[channel], survey.id, f"survey-{survey.id}-{survey.channel}-{survey.attempts + 1}"))
    for func_path, survey_id, job_id in queued:
        jobs.enqueue(func_path, survey_id, job_id=job_id)
    return len(queued)


def time_out(now: datetime) -> int:
    """Surveys still asking past their wait: the try brought no answer."""
    with db.session_scope() as session:
        ids = list(session.scalars(select(Survey.id).where(Survey.state == "asking",
                                                           Survey.next_attempt_at <= now)))
    return sum(_each(ids, "survey %s: no answer not counted",
                     lambda session, survey_id: _silent_survey(session, survey_id, now)))


def _silent_survey(session, survey_id: int, now: datetime) -> bool:
    survey = _locked(session, Survey, survey_id)
    if survey is None or survey.state != "asking" or survey.next_attempt_at > now:
        return False
    satisfaction.attempt_failed(session, survey, "no answer" if survey.channel == "ivr" else "no reply", now)
    return True


def close_silent(now: datetime) -> int:
    """Close the answered cases whose citizen said nothing for ``close_silent_days``."""
    days = settings.get().close_silent_days
    since = now - timedelta(days=days)
    answered_at = (select(CaseHistory.case_id, func.max(CaseHistory.at).label("at"))
                   .where(CaseHistory.to_status == CaseStatus.answered.value)
                   .group_by(CaseHistory.case_id).subquery())
    with db.session_scope() as session:
        ids = list(session.scalars(select(Case.id).join(answered_at, answered_at.c.case_id == Case.id)
                                   .where(Case.status == CaseStatus.answered, answered_at.c.at <= since)))
    return sum(_each(ids, "case %s: not closed after the silence",
                     lambda session, case_id: _close(session, case_id, days, now)))


def _close(session, case_id: int, days: int, now: datetime) -> bool:
    from hotline import cases as lifecycle

    case = _locked(session, Case, case_id)
    if case is None or case.status != CaseStatus.answered:
        return False

    for survey in session.scalars(select(Survey).where(Survey.case_id == case.id,
                                                       Survey.state.in_(satisfaction.PENDING))):
        survey.state = "unanswered"
        survey.history = [*(survey.history or []), {"at": now.isoformat(), "channel": survey.channel,
                                                     "result": "silence"}]
    lifecycle.change_status(session, case, CaseStatus.closed, actor=SILENCE, event="closed_silent",
                            note=f"{days} يومًا دون كلمة من المواطن · {days} days without a word from the citizen")
    audit.record(session, "case.closed", actor=SILENCE, object_type="case", object_id=case.id,
                 case_id=case.id, detail={"by": SILENCE, "days": days})
    return True


def ladder(now: datetime) -> int:
    """The escalation ladder's next step on every overdue case; how many moved."""
    with db.session_scope() as session:
        ids = escalation.candidates(session, now)
    return sum(_each(ids, "case %s: escalation step failed",
                     lambda session, case_id: escalation.step(session, case_id, now) is not None))


def _each(ids: list[int], failed: str, work) -> list[bool]:
    """``work(session, id)`` for each id, each in its own transaction; one row's trouble (a
    deadlock, a constraint) is logged and does not stop the others."""
    done = []
    for row_id in ids:
        try:
            with db.session_scope() as session:
                done.append(bool(work(session, row_id)))
        except Exception:
            log.exception(failed, row_id)
    return done


def _locked(session, model, row_id: int):
    """The row, locked: waited for, not skipped, as other work (a notification being sent, an
    officer's answer) holds a case's row only for a moment; the caller looks at it again."""
    stmt = select(model).where(model.id == row_id)
    if db.is_postgresql():
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def start() -> None:
    """Sweep every INTERVAL in this process (a daemon thread, or a greenlet under gevent)."""
    periodic.start(INTERVAL, sweep, "closing the loop")
