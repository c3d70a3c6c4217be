"""The satisfaction survey by SMS: the question (Twilio Messages API, ``notifications.adapters``)
and the citizen's reply, which starts with a keyword (1 / 2, or words of config/satisfaction.yaml)
and may carry what is still wrong. The reply comes to the console's SMS webhook
(agent_console/sms); only the phone the question went to can answer it.
"""
from __future__ import annotations

import logging
import re
from functools import cache

from sqlalchemy import select

from hotline import arabic, db, pii, resources, satisfaction, settings
from hotline.models import Call, Case, Complainant, Survey
from hotline.notifications import adapters, message

log = logging.getLogger(__name__)
VIA = "sms"


@cache
def _config() -> dict:
    return resources.load_yaml("satisfaction.yaml")


def text(name: str, language: str, **values) -> str:
    """The SMS ``name`` in ``language``, filled in."""
    entry = _config()["sms"][name]
    return entry.get(language, entry["ar"]).format(**values)


def _gateway():
    return adapters.SmsGateway() if settings.get().notify_sms_url else adapters.LogOnly()


def send(survey_id: int) -> str:
    """Job: ask one due SMS survey; returns its state (a transient failure is a failed try)."""
    with db.session_scope() as session:
        survey, case = satisfaction.to_ask(session, survey_id, VIA)
        if survey is None:
            return "not due"
        to = message.recipient(session, case)
        body = text("ask", survey.language, number=case.number)
        try:
            if to is None:
                raise adapters.DeliveryError("no phone number for the complainant", transient=False)
            _gateway().send(to, {"number": case.number}, body, survey.language)
        except adapters.DeliveryError as exc:
            survey.attempts += 1
            return satisfaction.attempt_failed(session, survey, f"not sent: {exc}"[:200])
        satisfaction.asked(session, survey)
        return survey.state


def read(body: str) -> tuple[bool | None, str | None, str]:
    """(solved, the complaint number the reply names, the citizen's words after the keyword);
    solved is None when the reply starts with neither keyword."""
    tokens = (body or "").split()
    folded = [arabic.normalise(token) for token in tokens]
    number = next((f for f in folded if f.isdigit() and len(f) > 2 and _valid(f)), None)
    kept = [(t, f) for t, f in zip(tokens, folded) if f and f != number]
    for kind, solved in (("not_solved", False), ("solved", True)):
        for word in _words(kind):
            size = len(word.split())
            if " ".join(f for _t, f in kept[:size]) == word:
                return solved, number, " ".join(t for t, _f in kept[size:]).strip(" .:-،")
    return None, number, (body or "").strip()


def _valid(number: str) -> bool:
    from hotline import cases

    return cases.is_valid_number(number)


@cache
def _words(kind: str) -> tuple[str, ...]:
    """The keywords of ``kind``, longest first ("not solved" before "no")."""
    words = {arabic.normalise(str(w)) for w in _config()["words"][kind]}
    return tuple(sorted(words, key=lambda w: (-len(w.split()), w)))


def waiting_for(session, phone: str, number: str | None = None) -> Survey | None:
    """The survey asked of ``phone`` that a reply answers: of complaint ``number`` when the
    reply names one, else the newest one asked."""
    digest = pii.lookup_hash("phone", phone)
    mine = select(Case.id).outerjoin(Complainant, Complainant.id == Case.complainant_id) \
        .outerjoin(Call, Call.id == Case.call_id) \
        .where((Complainant.phone_hash == digest) | (Call.caller_hash == digest))
    stmt = select(Survey).where(Survey.case_id.in_(mine), Survey.channel == VIA,
                                Survey.state.in_(satisfaction.PENDING), Survey.attempts > 0)
    if number:
        stmt = stmt.join(Case, Case.id == Survey.case_id).where(Case.number == number)
    return session.scalar(stmt.order_by(Survey.id.desc()).limit(1))


def reply(session, phone: str, body: str) -> str:
    """Take a citizen's SMS; the SMS to send back."""
    try:
        phone = pii.normalise("phone", phone)
    except Exception:  # noqa: BLE001 - not a phone number we could have written to
        return text("nothing_asked", "ar")
    solved, number, words = read(body)
    survey = waiting_for(session, phone, number)
    if survey is None:
        return text("nothing_asked", "en" if re.fullmatch(r"[\x00-\x7f]*[A-Za-z][\x00-\x7f]*", body or "") else "ar")
    case = session.get(Case, survey.case_id)
    if solved is None:
        return text("not_understood", survey.language, number=case.number)
    outcome = satisfaction.answer(session, case, solved, via=VIA, words=None if solved else words)
    if outcome == "late":
        return text("nothing_asked", survey.language)
    return text("solved" if solved else "reopened", survey.language, number=case.number)
