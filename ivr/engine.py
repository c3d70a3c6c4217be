"""The menu engine: runs a call step by step, and whatever happens, finishes its bookkeeping.

A hang-up is control flow (the caller's case is saved as incomplete when they had recorded);
an internal error sends the call to the failure context instead of dead air.
"""
from __future__ import annotations

import logging

from ivr import complaints
from ivr.agi import Channel
from ivr.call import CallContext, Clock, TooManyTries, system_clock
from ivr.errors import CallerHungUp
from ivr.menu import Menu, load
from ivr.steps import registry

log = logging.getLogger(__name__)
FAILURE_CONTEXT = "hotline-failed"


def run_call(agi: Channel, *, mode: str, clock: Clock = system_clock, menu: Menu | None = None,
             answered: bool = False, greeted: bool = False) -> CallContext:
    """Answer and run one call to its end; never raises for a hang-up or an error.

    The welcome starts right after the answer, before the call's row is written: the caller
    hears the IVR while the database works (``greeted``: the AGI process began it itself).
    """
    menu = menu or load()
    call = CallContext(agi, mode=mode, menu=menu, clock=clock)
    outcome, hung_up = "completed", False
    try:
        if not answered:
            agi.answer()
        if not greeted:
            greet(agi, menu, call.sound)
        call.open()
        _walk(call, menu)
        outcome = call.outcome or "completed"
        hung_up = agi._got_sighup or agi.hangup_line
    except CallerHungUp:
        outcome, hung_up = call.outcome or "hangup", True
        if call.call_id is None and not call.offline:
            _open_late(call)  # gone during the answer or the welcome: the call is still kept
        _finish_after_hangup(call)
    except Exception:
        log.exception("call %s failed in step %s", call.call_id, call.step)
        outcome = "error"
        _rescue(call)
        _fail_over(call, menu)
    if call.call_id is None and not call.offline:
        _open_late(call)  # it failed before its row was written: the call is still kept
    if call.call_id is not None or call.offline:
        try:
            call.close(outcome, hung_up=hung_up)
        except Exception:
            log.exception("call %s: could not save its end", call.call_id)
    return call


def greet(agi: Channel, menu: Menu, sound) -> None:
    """Begin the start step's first prompt (its reply is read by the step)."""
    prompt, keys = menu.greeting()
    agi.set_step(menu.start)
    agi.begin_stream(sound(prompt), keys)


def _walk(call: CallContext, menu: Menu) -> None:
    steps, step = registry(), menu.start
    while step:
        call.enter(step)
        try:
            step = steps[step](call, menu.step(step))
        except TooManyTries:
            step = "agent" if call.on_duty() else "goodbye"


def _open_late(call: CallContext) -> None:
    try:
        call.open()
    except Exception:
        log.exception("call %s: its row could not be saved after the hang-up", call.uniqueid)


def _finish_after_hangup(call: CallContext) -> None:
    """Save where the caller left and, if they had recorded, their complaint as incomplete."""
    try:
        if call.call_id is not None or call.offline:
            call.record_step(None, None, "hangup")
    except Exception:
        log.exception("call %s: bookkeeping after hang-up failed", call.call_id)
    _rescue(call)


def _rescue(call: CallContext) -> None:
    try:
        if (call.call_id is not None or call.offline) and call.complaint.case_id is None \
                and call.pending_complaint is None and complaints.recording_file(call):
            complaints.save(call, incomplete=True)
    except complaints.ComplaintJournaled:
        pass  # kept in the journal; the case is made when the database is back
    except Exception:
        log.exception("call %s: the recorded complaint could not be saved", call.call_id)


def _fail_over(call: CallContext, menu: Menu) -> None:
    try:
        call.play("technical_error")
    except Exception:  # the caller may be gone too
        pass
    fail_over(call.agi, menu.failure_context)


def fail_over(agi: Channel, context: str = FAILURE_CONTEXT) -> None:
    """Send the call to the dialplan's failure context (an agent or a message, never dead air)."""
    try:
        agi.exec_app("Goto", f"{context},s,1")
    except Exception:  # the caller may be gone; nothing more to do
        pass
