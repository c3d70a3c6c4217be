"""The survey calls: the AMI bridge dials citizens whose IVR survey is due (issue 18).

Placed as :class:`ivr.callbacks.Dispatcher` places callbacks: AMI ``Originate`` (async) of
``survey_dial`` with the number into the dialplan context ``shakwa-survey``, which hands the
answered call to the FastAGI script ``survey``. The survey's id and language travel as channel
variables. Busy, no answer or a failed dial is an unanswered try (``hotline.satisfaction``
retries it, or asks by SMS once the calls run out); an answered call is the IVR's from then on.
Never in the quiet hours; at most ``AT_ONCE`` survey calls ringing at a time.
"""
from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.exc import SQLAlchemyError

from hotline import db, satisfaction, settings
from hotline.models import Case, Survey
from hotline.notifications import message
from ivr.callbacks import REASONS

log = logging.getLogger(__name__)
CONTEXT = "shakwa-survey"
AT_ONCE = 4  # survey calls being dialled at one time (a trunk has other calls to carry)
PREFIX = "shakwa-survey-"
RING_LIMIT = 90.0  # seconds: a dial with no OriginateResponse by then (the AMI session was lost)
# stops holding a place; the survey's own wait (hotline.satisfaction.CALL_WATCH) retries it


class SurveyCalls:
    """Dials due IVR surveys through the bridge's AMI session."""

    def __init__(self):
        self._lock = threading.Lock()
        self._dialling: dict[str, tuple[int, float]] = {}  # ActionID -> (survey id, dialled at)

    def names(self) -> tuple[str, ...]:
        return ("OriginateResponse",)

    def on_event(self, event, _manager=None) -> None:
        """pyst2 callback; never raises."""
        try:
            if event.name == "OriginateResponse":
                self._answered(event.headers)
        except Exception:
            log.exception("AMI %s not handled", event.name)

    def tick(self, manager) -> None:
        """Dial the due surveys (as many as may ring at once)."""
        with self._lock:
            stale = time.monotonic() - RING_LIMIT
            self._dialling = {k: v for k, v in self._dialling.items() if v[1] > stale}
            room = AT_ONCE - len(self._dialling)
        if room <= 0:
            return
        try:
            calls = self._due(room)
        except SQLAlchemyError as exc:
            log.warning("surveys not read: %s", exc)
            return
        for dial in calls:
            self._originate(manager, *dial)

    def _due(self, limit: int) -> list[tuple[str, int, str, str]]:
        conf = settings.get()
        out = []
        with db.session_scope() as session:
            for survey in satisfaction.due(session, "ivr", limit=limit):
                number = message.phone_of(session, session.get(Case, survey.case_id))
                if not number:
                    satisfaction.switch(session, survey, "sms", "no number to call")
                    continue
                satisfaction.asked(session, survey, "dialled")
                action_id = f"{PREFIX}{survey.id}-{survey.attempts}"
                out.append((action_id, survey.id, conf.survey_dial.format(number=number), survey.language))
        return out

    def _originate(self, manager, action_id: str, survey_id: int, channel: str, language: str) -> None:
        with self._lock:
            self._dialling[action_id] = (survey_id, time.monotonic())
        try:
            manager.send_action({
                "Action": "Originate", "ActionID": action_id, "Channel": channel,
                "Context": CONTEXT, "Exten": "s", "Priority": "1", "Async": "true",
                "Timeout": "30000", "CallerID": settings.get().survey_caller_id,
                "Variable": [f"SHAKWA_SURVEY={survey_id}", f"SHAKWA_LANGUAGE={language}"]})
        except Exception as exc:
            log.warning("survey %s not dialled: %s", survey_id, exc)
            self._settle(action_id, "failed")

    def _answered(self, headers: dict) -> None:
        action_id = headers.get("ActionID", "")
        if action_id.startswith(PREFIX):
            result = "answered" if headers.get("Response") == "Success" else \
                REASONS.get(headers.get("Reason", ""), f"reason {headers.get('Reason')}")
            self._settle(action_id, result)

    def _settle(self, action_id: str, result: str) -> None:
        """Answered: the IVR has the call. Anything else: an unanswered try."""
        with self._lock:
            survey_id = self._dialling.pop(action_id, (None, 0))[0]
        if survey_id is None or result == "answered":
            return
        with db.session_scope() as session:
            survey = session.get(Survey, survey_id, with_for_update=True)
            if survey is not None and survey.state == "asking":
                satisfaction.attempt_failed(session, survey, result)
        log.info("survey %s call: %s", survey_id, result)
