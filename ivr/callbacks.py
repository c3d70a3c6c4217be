"""Callback instead of a long wait: asked for in the queue, dialled back when an agent is free.

Asterisk's queue plays ``callback_offer`` every ``callback_offer_seconds``; the callback key
leaves the queue for the ``shakwa-queue-keys`` context (queues.conf ``context``), which the IVR,
still holding the call, sees after ``EXEC Queue`` and answers with :func:`request`: a row that
keeps the time the caller joined the queue. The AMI bridge's :class:`Dispatcher` dials the
oldest waiting callback (AMI ``Originate``) whenever the queue has a free agent; the answered
citizen hears ``callback_greeting`` and joins the queue ahead of the others. Busy or no answer
is retried ``callback_attempts`` times, every attempt kept in the row's history.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from hotline import db, events, settings
from hotline.models import Call, Callback, Case, utcnow

log = logging.getLogger(__name__)
EXIT_CONTEXT = "shakwa-queue-keys"
CALLBACK_CONTEXT = "shakwa-callback"
# A dial with no OriginateResponse by then (the AMI session was lost) counts as failed.
RING_LIMIT = 90.0
# AMI OriginateResponse reasons (Asterisk's AST_CONTROL_* codes).
REASONS = {"0": "failed", "1": "hung up", "3": "no answer", "4": "answered", "5": "busy",
           "8": "congestion"}


def left_for_callback(call, key: str) -> bool:
    """After EXEC Queue: did the caller press the callback key (the queue sent the channel to
    ``shakwa-queue-keys``, extension = the key)?"""
    where = call.agi.get_full_variable("${CONTEXT}|${EXTEN}") or ""
    return where == f"{EXIT_CONTEXT}|{key}"


def request(call, waiting_since) -> int:
    """Keep the caller's place: a waiting callback for this call; its id."""
    def add(session) -> None:
        case_id = session.scalar(select(Case.id).where(Case.call_id == call.call_id)
                                 .order_by(Case.id.desc()).limit(1))
        row = Callback(call_id=call.call_id, case_id=case_id, language=call.language,
                       waiting_since=waiting_since)
        session.add(row)
        session.flush()
        call.complaint.extra["callback_id"] = row.id
        events.publish_after_commit(session, events.Event(
            "queue.callback_requested", call_id=call.call_id, case_id=case_id,
            payload={"callback_id": row.id}))

    call.write(add)
    return call.complaint.extra.get("callback_id")


class Dispatcher:
    """Dials waiting callbacks through the bridge's AMI session, one at a time."""

    def __init__(self, queue: str | None = None):
        self.queue = queue or settings.get().queue_name
        self.available = 0  # free agents in the queue, from the last QueueSummary
        self._lock = threading.Lock()
        self._dialling: dict[str, int] = {}  # ActionID -> callback id
        self._dialled_at: dict[str, float] = {}  # ActionID -> when (time.monotonic)

    def names(self) -> tuple[str, ...]:
        return ("QueueSummary", "OriginateResponse")

    def on_event(self, event, _manager=None) -> None:
        """pyst2 callback; never raises."""
        try:
            if event.name == "QueueSummary" and event.headers.get("Queue") == self.queue:
                self.available = int(event.headers.get("Available") or 0)
            elif event.name == "OriginateResponse":
                self._answered(event.headers)
        except Exception:
            log.exception("AMI %s not handled", event.name)

    def tick(self, manager) -> None:
        """Ask how many agents are free; dial the oldest due callback if one is."""
        try:
            manager.send_action({"Action": "QueueSummary", "Queue": self.queue})
        except Exception as exc:
            log.warning("AMI QueueSummary not sent: %s", exc)
            return
        self._expire()
        with self._lock:
            if self._dialling or self.available < 1:
                return
        try:
            dial = self._next()
        except SQLAlchemyError as exc:
            log.warning("callbacks not read: %s", exc)
            return
        if dial is not None:
            self._originate(manager, *dial)

    def _next(self):
        conf = settings.get()
        with db.session_scope() as session:
            row = session.scalar(select(Callback).where(Callback.state == "waiting",
                                                        Callback.next_attempt_at <= utcnow())
                                 .order_by(Callback.waiting_since).limit(1).with_for_update())
            if row is None:
                return None
            call = session.get(Call, row.call_id)
            number = call.caller if call else None
            row.attempts += 1
            if not number:
                row.state = "failed"
                row.history = [*row.history, {"at": utcnow().isoformat(), "result": "no number"}]
                return None
            row.state = "calling"
            action_id = f"shakwa-callback-{row.id}-{row.attempts}"
            channel = conf.callback_dial.format(number=number)
            return action_id, row.id, channel, row.language, call.uniqueid

    def _originate(self, manager, action_id: str, callback_id: int, channel: str, language: str,
                   uniqueid: str) -> None:
        conf = settings.get()
        with self._lock:
            self._dialling[action_id] = callback_id
            self._dialled_at[action_id] = time.monotonic()
        try:
            manager.send_action({
                "Action": "Originate", "ActionID": action_id, "Channel": channel,
                "Context": CALLBACK_CONTEXT, "Exten": "s", "Priority": "1", "Async": "true",
                "Timeout": "30000", "CallerID": conf.callback_caller_id,
                "Variable": [f"SHAKWA_CALLBACK={callback_id}", f"SHAKWA_LANGUAGE={language}",
                             f"SHAKWA_UNIQUEID={uniqueid}"]})
        except Exception as exc:
            log.warning("callback %s not dialled: %s", callback_id, exc)
            self._settle(action_id, "failed")

    def _answered(self, headers: dict) -> None:
        action_id = headers.get("ActionID", "")
        if action_id in self._dialling:
            result = "answered" if headers.get("Response") == "Success" else \
                REASONS.get(headers.get("Reason", ""), f"reason {headers.get('Reason')}")
            self._settle(action_id, result)

    def _expire(self) -> None:
        """A dial Asterisk never answered for (its AMI session was lost) is a failed attempt."""
        now = time.monotonic()
        with self._lock:
            late = [a for a, at in self._dialled_at.items() if now - at > RING_LIMIT]
        for action_id in late:
            self._settle(action_id, "no response")

    def _settle(self, action_id: str, result: str) -> None:
        """Record an attempt: connected, waiting for a retry, or failed for good."""
        with self._lock:
            callback_id = self._dialling.pop(action_id, None)
            self._dialled_at.pop(action_id, None)
        if callback_id is None:
            return
        conf = settings.get()
        with db.session_scope() as session:
            row = session.get(Callback, callback_id, with_for_update=True)
            row.history = [*row.history, {"at": utcnow().isoformat(), "result": result}]
            if result == "answered":
                row.state = "connected"
            elif row.attempts >= conf.callback_attempts:
                row.state = "failed"
            else:
                row.state = "waiting"
                row.next_attempt_at = utcnow() + timedelta(seconds=conf.callback_retry_seconds)
            events.publish_after_commit(session, events.Event(
                "queue.callback_attempt", call_id=row.call_id, case_id=row.case_id,
                payload={"callback_id": row.id, "attempt": row.attempts, "result": result,
                         "state": row.state}))
        log.info("callback %s attempt: %s", callback_id, result)
