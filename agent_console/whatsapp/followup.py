"""Follow-up on WhatsApp: a complaint number gets its status, for the citizen who filed it.

As in the IVR, the status is told to the phone number that filed the complaint, or after the
last four digits of the national ID given with it; anyone else is asked to write from that phone.
"""
from __future__ import annotations

from hotline import arabic, cases
from hotline.models import Case
from agent_console.whatsapp import texts
from agent_console.whatsapp.turn import MAX_TRIES, Turn


def looks_like_number(text: str) -> bool:
    """True when the text is a well-formed complaint number (check digit included)."""
    folded = arabic.normalise(text).replace(" ", "")
    return folded.isdigit() and cases.is_valid_number(folded)


def ask_number(turn: Turn) -> None:
    turn.say("ask_number")
    turn.go("follow_number")


def on_number(turn: Turn) -> None:
    """Step follow_number: the citizen typed a complaint number."""
    digits = texts.digits(turn.said.text)
    if not cases.is_valid_number(digits):
        if turn.tried() >= MAX_TRIES:
            turn.go(None)
        turn.say("number_invalid")
        return
    lookup(turn, digits)


def lookup(turn: Turn, number: str) -> None:
    """Tell the status of complaint ``number``, verifying the citizen first."""
    case = cases.find_by_number(turn.session, number)
    if case is None:
        turn.say("number_unknown")
        turn.go(None)
        return
    complainant = case.complainant
    if complainant is not None and complainant.phone_hash and \
            complainant.phone_hash == turn.conversation.phone_hash:
        tell(turn, case)
        return
    if complainant is not None and complainant.national_id:
        turn.say("ask_verify")
        turn.go("follow_verify")
        turn.remember(follow_case=case.id)
        return
    turn.say("verify_failed")
    turn.go(None)


def on_verify(turn: Turn) -> None:
    """Step follow_verify: the last four digits of the complaint's national ID."""
    case = turn.session.get(Case, turn.data.get("follow_case") or 0)
    national_id = case.complainant.national_id if case is not None and case.complainant else None
    if national_id and texts.digits(turn.said.text) == national_id[-4:]:
        tell(turn, case)
        return
    turn.say("verify_failed")
    turn.go(None)


def tell(turn: Turn, case: Case) -> None:
    """The status of ``case``, and the entity's answer once there is one."""
    turn.say("status", case_number=case.number, status=texts.status_label(case.status.value, turn.language))
    if case.responses:
        turn.say("status_answer", answer=case.responses[-1].body)
    turn.go(None)
