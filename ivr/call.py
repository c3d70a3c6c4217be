"""One call in the IVR: its AGI channel, what the caller gave so far, and its rows in the database.

Every step is saved the moment the IVR has sent Asterisk its next command: the write happens while
that command plays, so a caller's key is answered at once and a hang-up between two steps loses
nothing (the call's end writes what is still due). Every write goes through :meth:`CallContext.write`: when the database is
unreachable the call goes on "offline" and what it could not write is journaled at its end
(``hotline.journal``, replayed by ``ivr.replay``). Prompts are ``<sounds_dir>/<language>/<name>`` and are played by path, so
Asterisk needs no language setting of its own.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select

from hotline import db, events, journal, settings
from hotline.models import Call, CallStep, utcnow
from ivr import hours, step_writer
from ivr.agi import Channel
from ivr.errors import PromptMissing
from ivr.menu import Menu


log = logging.getLogger(__name__)
ALL_KEYS = "0123456789*#"
DIGITS = "0123456789"
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Entry:
    """A number the caller keyed in, and how it ended: ``hash``, ``timeout``, ``max`` (more
    digits than asked for) or ``skip`` (the skip key, at once)."""

    digits: str
    ended: str


class TooManyTries(Exception):
    """The caller gave no valid answer ``max_tries`` times in a row."""


def system_clock() -> datetime:
    """Now, as an aware datetime."""
    return datetime.now(timezone.utc)


@dataclass
class Complaint:
    """What the caller has said so far (the national ID stays in memory until the case is saved)."""

    category: str | None = None
    governorate: str | None = None
    national_id: str | None = None
    consent: bool | None = None
    recording: Path | None = None
    recording_format: str = "wav"
    takes: int = 0
    case_id: int | None = None
    case_number: str | None = None
    extra: dict = field(default_factory=dict)


class CallContext:
    """The state of one call and the few things every step does with it."""

    def __init__(self, agi: Channel, *, mode: str, menu: Menu, clock: Clock = system_clock):
        self.agi, self.mode, self.menu, self.clock = agi, mode, menu, clock
        self.conf = settings.get()
        self.language = self.conf.default_language
        self.complaint = Complaint()
        self.step = ""
        self.seq = 0
        self.call_id: int | None = None
        self.outcome: str | None = None
        self.caller = (agi.env.get("agi_callerid") or "").strip()
        if self.caller in ("unknown", ""):
            self.caller = ""
        self.started = clock()
        self.started_at = utcnow()
        self.offline = False  # a write failed: the rest of this call goes to the journal
        self.unsaved: list[dict] = []  # steps the database did not get
        self._due: list[dict] = []  # steps noted, written once the next command is on its way
        agi.on_sent = self.flush_steps
        self.pending_complaint: dict | None = None  # journaled for want of a database
        self._own_id = f"local-{uuid.uuid4().hex}"

    def write(self, work: Callable) -> bool:
        """Run ``work(session)`` in its own transaction; False (call goes offline) if the database is down."""
        if self.offline:
            return False
        try:
            with db.session_scope() as session:
                work(session)
            return True
        except journal.DATABASE_DOWN as exc:
            log.warning("call %s: database unavailable, journaling the rest: %s", self.uniqueid, exc)
            self.offline = True
            return False

    @property
    def uniqueid(self) -> str:
        """Asterisk's id of the channel; without one (not Asterisk, or a broken peer), an id of
        our own that no other call can get (``id()`` is reused by CPython: calls were merged)."""
        return self.agi.env.get("agi_uniqueid") or self._own_id

    def journal(self, **extra) -> None:
        """Spool this call (and what it could not save) for replay; see ivr.replay."""
        from ivr import replay

        self.steps_written()  # what is still due goes to the journal with the rest

        replay.journal_call(self, **extra)

    # --- the call row -----------------------------------------------------------------------

    def open(self) -> int:
        """Save the Call row and announce it (None when the database is down)."""

        def add(session) -> None:
            # The same channel again: the dialplan retried it after an IVR server died mid-call.
            call = session.scalar(select(Call).where(Call.uniqueid == self.uniqueid))
            if call is not None:
                self.seq = session.scalar(select(func.max(CallStep.seq)).where(CallStep.call_id == call.id)) or 0
                call.ended_at, call.outcome = None, None
            else:
                call = Call(uniqueid=self.uniqueid,
                            channel=self.agi.env.get("agi_channel", "")[:128], mode=self.mode,
                            language=self.language, started_at=self.started_at)
                call.caller = self.caller or None
                session.add(call)
            session.flush()
            self.call_id = call.id
            events.publish_after_commit(session, events.Event(
                "call.started", call_id=call.id,
                payload={"uniqueid": call.uniqueid, "mode": self.mode, "language": self.language}))

        self.write(add)
        return self.call_id

    def close(self, outcome: str, *, hung_up: bool = False) -> None:
        """Mark the call ended (completed, hangup, queued or error) and announce it, or journal it."""

        def end(session) -> None:
            call = session.get(Call, self.call_id)
            call.ended_at, call.outcome, call.language = utcnow(), outcome, self.language
            call.hung_up = call.hung_up or hung_up
            if hung_up:
                events.publish_after_commit(session, events.Event(
                    "call.hung_up", call_id=self.call_id, case_id=self.complaint.case_id,
                    payload={"step": self.step}))
            events.publish_after_commit(session, events.Event(
                "call.ended", call_id=self.call_id, case_id=self.complaint.case_id,
                payload={"outcome": outcome,
                         "duration": round((self.clock() - self.started).total_seconds(), 1)}))

        self.steps_written()
        if self.call_id is None or not self.write(end):
            self.journal(outcome=outcome, hung_up=hung_up, ended_at=utcnow().isoformat())

    def enter(self, step: str) -> None:
        """Start a step; Asterisk keeps its name in SHAKWA_STEP (the h extension can log it)."""
        self.step = step
        self.agi.set_step(step)

    def record_step(self, prompt: str | None, entered: str | None, result: str | None) -> None:
        """Note one step with the caller's (masked) input: written and announced as soon as the
        next command is on its way to Asterisk (:meth:`flush_steps`), or at the call's end."""
        self.seq += 1
        self._due.append({"seq": self.seq, "step": self.step, "prompt": prompt, "input": entered,
                          "result": result, "at": utcnow().isoformat()})

    def flush_steps(self) -> None:
        """Hand the steps noted so far to the process's step writer (``ivr.step_writer``: one
        transaction for every call's steps of the last moment); kept for the journal when the
        database is down."""
        due, self._due = self._due, []
        if not due:
            return
        if self.call_id is None or self.offline:
            self.unsaved.extend(due)
            return
        step_writer.writer().submit(self, due)

    def steps_written(self) -> None:
        """Flush, then wait until the step writer has this call's steps (or journaled them)."""
        self.flush_steps()
        step_writer.writer().wait(self)

    # --- talking to the caller --------------------------------------------------------------

    def sound(self, name: str) -> str:
        """The path Asterisk plays for prompt ``name`` in the caller's language (no extension)."""
        return str(self.conf.sounds_dir / self.language / name)

    def play(self, name: str) -> None:
        """Play a prompt to the end; a missing sound file is logged, not fatal."""
        try:
            self.agi.stream_file(self.sound(name))
        except PromptMissing:
            log.warning("prompt %s/%s is missing (run make-prompts)", self.language, name)

    def ask(self, name: str, max_digits: int = 1, timeout_ms: int | None = None) -> str:
        """Play a prompt and collect keys (GET DATA); '' when nothing was pressed."""
        timeout = timeout_ms or self.menu.menu_timeout_ms
        return self.agi.get_data(self.sound(name), timeout, max_digits)

    def ask_number(self, name: str, digits: int, *, skip: str | None = None) -> Entry:
        """Play a prompt and collect a number of up to ``digits`` that the caller ends with '#'.

        On a real Asterisk, GET DATA returns at its max-th digit and a '#' typed after it ends
        the *next* read; only '#' ends GET DATA, so a skip key would wait out the timeout. So the
        prompt plays with every key as an escape (the first key stops it; the skip key ends the
        entry at once), then GET DATA with no prompt takes the rest up to one key beyond
        ``digits``, which is the '#' asked for.
        """
        keys = DIGITS + "#" + (skip or "")
        try:
            first = self.agi.stream_key(self.sound(name), keys)
        except PromptMissing:
            log.warning("prompt %s/%s is missing (run make-prompts)", self.language, name)
            first = ""
        if skip and first == skip:
            return Entry("", "skip")
        if first == "#":
            return Entry("", "hash")
        typed = self.agi.read_digits(self.menu.digits_timeout_ms, digits + 1 - len(first))
        value = first + typed.digits
        if typed.timed_out:
            return Entry(value, "timeout")
        return Entry(value, "max" if len(value) > digits else "hash")

    def choose(self, name: str, valid, *, on_timeout: str | None = None, entered=None) -> str:
        """Ask until a valid key: invalid_choice/no_input and again, ``max_tries`` at most."""
        for _ in range(self.menu.max_tries):
            key = self.ask(name)
            if key in valid:
                self.record_step(name, key if entered is None else entered(key), "ok")
                return key
            if key == "" and on_timeout is not None:
                self.record_step(name, "", "default")
                return on_timeout
            self.retry(name, key)
        raise TooManyTries(name)

    def retry(self, name: str, key: str) -> None:
        """Tell the caller the key was wrong or missing, and save the try."""
        result = "no_input" if key == "" else "invalid"
        self.record_step(name, key, result)
        self.play("no_input" if key == "" else "invalid_choice")

    def say_digits(self, number: str) -> bool:
        """Read a number digit by digit from the project's own prompts (``digit_0`` …
        ``digit_9`` in the caller's language: Asterisk ships no Arabic sounds, and its SAY DIGITS
        is silent without them). False when a digit's prompt is missing."""
        whole = True
        for digit in number:
            try:
                self.agi.stream_file(self.sound(f"digit_{digit}"))
            except PromptMissing:
                log.warning("prompt %s/digit_%s is missing (run make-prompts)", self.language, digit)
                whole = False
        return whole

    def on_duty(self) -> bool:
        """Whether agents are on duty now (the injected clock decides, not the wall clock)."""
        return hours.on_duty(self.conf, self.clock())
