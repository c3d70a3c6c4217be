"""The last steps of a WhatsApp complaint: consent to share identity, name, national ID; then the
case is complete and the citizen gets its number. Name and national ID are optional ("skip").
"""
from __future__ import annotations

from hotline import national_id
from agent_console.whatsapp import casework, replies, texts
from agent_console.whatsapp.turn import MAX_TRIES, Turn


def ask_consent(turn: Turn) -> None:
    turn.ask(replies.buttons(turn.text("ask_consent"), ("yes", turn.text("yes_button")),
                             ("no", turn.text("no_button"))))
    turn.go("consent")


def consent(turn: Turn) -> None:
    answer = texts.digits(turn.said.text)
    if turn.is_word("yes") or answer == "1":
        agreed = True
    elif turn.is_word("no") or answer == "2":
        agreed = False
    else:
        turn.retry(ask_consent)
        return
    case = casework.draft(turn)
    case.complainant.give_consent(agreed, channel="whatsapp")
    turn.say("ask_name")
    turn.go("name")


def name(turn: Turn) -> None:
    text = turn.said.text.strip()
    if turn.said.kind != "text" or not text:
        turn.retry(lambda t: t.say("ask_name"))
        return
    if not turn.is_word("skip"):
        casework.draft(turn).complainant.name = text[:200]
    turn.say("ask_national_id")
    turn.go("national_id")


def national_id_step(turn: Turn) -> None:
    if not turn.is_word("skip"):
        value = texts.digits(turn.said.text)
        problem = national_id.problem(value) if value else "must be exactly 14 digits"
        if problem:
            if turn.tried() < MAX_TRIES:
                turn.say("national_id_invalid", reason=texts.national_id_reason(problem, turn.language))
                return
        else:
            casework.draft(turn).complainant.national_id = value
    case = casework.complete(turn)
    turn.say("case_created", case_number=case.number)
    turn.end()
