"""The AMI bridge: Asterisk's queue and hang-up events become console events (``run_ivr.py ami``).

:class:`Bridge` keeps one AMI session up (pyst2, fixed in :mod:`ivr.manager`), reconnecting with
back-off when Asterisk restarts, and publishes what it hears as docs/events.md specifies:
QueueCallerJoin, AgentConnect and QueueCallerAbandon as ``queue.*`` events with our call id,
and a Hangup the IVR did not see as ``call.hung_up`` and ``call.ended``.
"""
from __future__ import annotations

import logging
import threading

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from hotline import db, events, settings, users
from hotline.errors import SettingsError
from hotline.models import Call, CallStep, Case, utcnow
from ivr.manager import Manager, ManagerAuthException, ManagerException
from ivr.callbacks import Dispatcher
from ivr.survey_calls import SurveyCalls
from ivr.queue_members import Membership

log = logging.getLogger(__name__)


class LoginRefused(SettingsError):
    """Asterisk refused the AMI user name or secret (settings ami_username / ami_secret)."""


CALLBACK_TICK = 2.0  # seconds between looks for a free agent while callbacks wait
QUEUE_EVENTS = {"QueueCallerJoin": "queue.caller_join", "AgentConnect": "queue.agent_connect",
                "QueueCallerAbandon": "queue.caller_abandon"}


extension = users.extension_of  # the agent's extension from a member interface


class Handlers:
    """What each AMI event publishes. A Hangup waits ``grace`` seconds: the IVR announces the end of
    the calls it runs, the bridge only of those it did not (the IVR was killed, or never closed it)."""

    def __init__(self, grace: float):
        self.grace = grace
        self._pending: dict[str, threading.Timer] = {}
        self._lock = threading.Lock()

    def names(self) -> tuple[str, ...]:
        return (*QUEUE_EVENTS, "Hangup")

    def on_event(self, event, _manager=None) -> None:
        """pyst2 callback; never raises (pyst2's dispatcher thread would die with the exception)."""
        try:
            if event.name == "Hangup":
                self._hangup(event.headers.get("Uniqueid", ""))
            elif event.name in QUEUE_EVENTS:
                publish_queue_event(event.name, event.headers)
        except Exception:
            log.exception("AMI %s not bridged", event.name)

    def finish(self) -> None:
        """Settle the hang-ups still in their grace period (at stop)."""
        with self._lock:
            pending, self._pending = self._pending, {}
        for timer in pending.values():
            timer.join()

    def _hangup(self, uniqueid: str) -> None:
        if not uniqueid:
            return
        if self.grace <= 0:
            end_call(uniqueid)
            return
        timer = threading.Timer(self.grace, self._due, args=(uniqueid,))
        timer.daemon = True
        with self._lock:
            self._pending[uniqueid] = timer
        timer.start()

    def _due(self, uniqueid: str) -> None:
        with self._lock:
            self._pending.pop(uniqueid, None)
        try:
            end_call(uniqueid)
        except Exception:
            log.exception("AMI Hangup of %s not bridged", uniqueid)


def publish_queue_event(name: str, headers: dict) -> None:
    """Publish queue.caller_join / agent_connect / caller_abandon with our call (and case) ids."""
    payload = {"uniqueid": headers.get("Uniqueid"), "queue": headers.get("Queue")}
    if name == "QueueCallerJoin":
        payload["position"] = _number(headers.get("Position"))
    else:
        payload["hold_time"] = _number(headers.get("HoldTime"))
    if name == "AgentConnect":
        payload["agent"] = extension(headers.get("Interface", ""))
        payload["interface"] = headers.get("Interface")
    call_id = case_id = None
    try:
        with db.session_scope() as session:
            call = _find_call(session, headers.get("Uniqueid"), headers.get("Linkedid"))
            call_id = call.id if call else None
            case_id = _case_id(session, call_id)
    except SQLAlchemyError as exc:  # the console still hears of the queue, without our ids
        log.warning("AMI %s: cannot look up the call: %s", name, exc)
    events.publish(events.Event(QUEUE_EVENTS[name], call_id=call_id, case_id=case_id, payload=payload))


def end_call(uniqueid: str) -> None:
    """Close the Call of a channel that hung up, unless the IVR did, and announce it."""
    with db.session_scope() as session:
        call = session.scalar(select(Call).where(Call.uniqueid == uniqueid))
        if call is None or call.ended_at is not None:
            return  # an agent's or a Local channel, or a call the IVR closed itself
        step = session.scalar(select(CallStep.step).where(CallStep.call_id == call.id)
                              .order_by(CallStep.seq.desc()).limit(1))
        call.ended_at, call.hung_up, call.outcome = utcnow(), True, call.outcome or "hangup"
        case_id = _case_id(session, call.id)
        duration = round((call.ended_at - call.started_at).total_seconds(), 1)
        events.publish_after_commit(session, events.Event(
            "call.hung_up", call_id=call.id, case_id=case_id, payload={"step": step}))
        events.publish_after_commit(session, events.Event(
            "call.ended", call_id=call.id, case_id=case_id,
            payload={"outcome": call.outcome, "duration": duration}))


def _find_call(session, uniqueid: str | None, linkedid: str | None) -> Call | None:
    """Our Call by the channel's Uniqueid (agi_uniqueid), else by the call's oldest channel."""
    for key in (uniqueid, linkedid):
        call = session.scalar(select(Call).where(Call.uniqueid == key)) if key else None
        if call is not None:
            return call
    return None


def _case_id(session, call_id: int | None) -> int | None:
    if call_id is None:
        return None
    return session.scalar(select(Case.id).where(Case.call_id == call_id).order_by(Case.id.desc()).limit(1))


def _number(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _drop_refused(manager: Manager) -> None:
    """Close a session Asterisk refused, without a Logoff: Asterisk ends a refused session itself,
    and a Logoff racing the reader thread that closes the socket on that end of file wrote to a
    closed file (ValueError), so ``run_ivr.py ami`` exited 1, an internal error, instead of 2."""
    manager._connected.clear()  # pyst2's flag: nothing to log off from; close() only stops threads
    manager.close()


class Bridge:
    """One AMI session kept up until :meth:`stop`; its queue and hang-up events are published."""

    def __init__(self, host: str, port: int, username: str, secret: str, *, timeout: float = 10.0,
                 backoff: tuple[float, float] = (1.0, 30.0), hangup_grace: float = 5.0):
        self.host, self.port, self.username, self.secret = host, port, username, secret
        self.timeout, self.backoff = timeout, backoff
        self.handlers = Handlers(hangup_grace)
        self.members = Membership()  # agents' console states -> QueueAdd / QueuePause
        self.callbacks = Dispatcher()  # waiting callbacks dialled when an agent is free
        self.surveys = SurveyCalls()  # satisfaction surveys dialled when due (issue 18)
        self.sessions = 0  # logins accepted so far
        self._stop = threading.Event()
        self._wake = threading.Event()

    def stop(self) -> None:
        """Log off and return from :meth:`run` (safe from a signal handler)."""
        self._stop.set()
        self._wake.set()

    def run(self) -> None:
        """Bridge until stopped; retries an absent Asterisk; raises LoginRefused on a bad login."""
        self._follow_agents()
        delay = self.backoff[0]
        while not self._stop.is_set():
            self._wake.clear()
            manager = Manager(self.timeout, on_gone=self._wake.set)
            for name in self.handlers.names():  # before login: no event may slip past
                manager.register_event(name, self.handlers.on_event)
            for name in self.callbacks.names():
                manager.register_event(name, self.callbacks.on_event)
            for name in self.surveys.names():
                manager.register_event(name, self.surveys.on_event)
            try:
                manager.connect(self.host, self.port)
                manager.login(self.username, self.secret)
            except ManagerAuthException as exc:
                _drop_refused(manager)
                raise LoginRefused(f"ami_secret: Asterisk at {self.host}:{self.port} refused the login "
                                   f"of AMI user {self.username!r}: {exc}") from None
            except ManagerException as exc:
                manager.close()
                log.warning("AMI %s:%s unavailable (%s); retrying in %.0f s", self.host, self.port,
                            exc.args[-1] if exc.args else exc, delay)
                self._stop.wait(delay)
                delay = min(delay * 2, self.backoff[1])
                continue
            delay = self.backoff[0]
            self._serve(manager)
        self.handlers.finish()

    def _follow_agents(self) -> None:
        """Hear the console's agent.state events: from the Redis stream, or in this process."""
        if settings.get().redis_url:
            threading.Thread(target=events.follow, args=(self.members.on_event, self._stop),
                             name="ami-agents", daemon=True).start()
        else:
            unsubscribe = events.subscribe(self.members.on_event)
            threading.Thread(target=lambda: self._stop.wait() or unsubscribe(), daemon=True).start()

    def _serve(self, manager: Manager) -> None:
        self.sessions += 1
        log.info("AMI: logged in to %s:%s as %s", self.host, self.port, self.username)
        self.members.attach(manager)
        while not self._wake.wait(CALLBACK_TICK):  # until the connection ends, or stop()
            self.callbacks.tick(manager)
            self.surveys.tick(manager)
        self.members.detach()
        if not self._stop.is_set():
            log.warning("AMI: connection to %s:%s lost; reconnecting", self.host, self.port)
            self._stop.wait(self.backoff[0])
        manager.close()
