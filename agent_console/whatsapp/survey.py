"""The satisfaction survey on WhatsApp (issue 18): two buttons, solved and not solved.

Within Meta's 24-hour customer-service window the question is an interactive message with reply
buttons; after it, only an approved template may be sent, so it is ``survey_whatsapp_template``
with two quick-reply buttons. Either way a button carries ``survey:<survey id>:1`` (solved) or
``:2`` (not solved) and comes back through the webhook as a choice. "Not solved" reopens the
case at once; the citizen's next message (text, voice note or photo) is their words, added to the
case for the entity. Only the complaint number is written to the citizen.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hotline import db, events, satisfaction, settings
from hotline.models import Case, CaseHistory, Survey, utcnow
from agent_console.whatsapp import casework, history, media, outbox, replies, texts
from agent_console.whatsapp.models import Message
from agent_console.whatsapp.turn import Turn

PREFIX = "survey:"
VIA = "whatsapp"
WORDS_STEP = "survey_words"


def send(survey_id: int) -> str:
    """Job: ask one due WhatsApp survey (queued in the outbox, sent with its retries)."""
    with db.session_scope() as session:
        survey, case = satisfaction.to_ask(session, survey_id, VIA)
        if survey is None:
            return "not due"
        conversation = history.latest_conversation(session, case)
        if conversation is None or not conversation.phone_number_id:
            satisfaction.switch(session, survey, "sms", "no WhatsApp conversation to write to")
            return survey.state
        body, text = _question(survey, case, conversation)
        message = Message(conversation=conversation, case_id=case.id, direction="out",
                          kind=body["type"], body=text, status="queued", payload=body,
                          created_at=utcnow())
        session.add(message)
        session.flush()
        satisfaction.asked(session, survey, f"queued as message {message.id}")
        message_id, state = message.id, survey.state
    outbox.enqueue([message_id])
    return state


def _question(survey: Survey, case: Case, conversation) -> tuple[dict, str]:
    """The message body (buttons in the window, else the template) and its text for the history."""
    from agent_console.whatsapp.sweeper import REPLY_WINDOW  # sweeper imports the conversation

    language = survey.language
    text = texts.say("survey_ask", language, number=case.number)
    ids = (f"{PREFIX}{survey.id}:1", f"{PREFIX}{survey.id}:2")
    last = conversation.last_inbound_at
    if last is not None and utcnow() - last < REPLY_WINDOW - timedelta(minutes=5):
        return replies.buttons(text, (ids[0], texts.say("survey_solved_button", language)),
                               (ids[1], texts.say("survey_not_solved_button", language))).body(), text
    components = [{"type": "body", "parameters": [{"type": "text", "text": case.number}]}]
    components += [{"type": "button", "sub_type": "quick_reply", "index": str(index),
                    "parameters": [{"type": "payload", "payload": payload}]}
                   for index, payload in enumerate(ids)]
    return {"type": "template", "template": {"name": settings.get().survey_whatsapp_template,
                                             "language": {"code": language},
                                             "components": components}}, text


def is_answer(turn: Turn) -> bool:
    """True when the message is a press of a survey button."""
    return turn.said.kind == "choice" and turn.said.choice.startswith(PREFIX)


def on_button(turn: Turn) -> None:
    """The citizen pressed solved or not solved."""
    _, survey_id, key = (turn.said.choice.split(":") + ["", ""])[:3]
    survey = turn.session.get(Survey, int(survey_id)) if survey_id.isdigit() else None
    case = turn.session.get(Case, survey.case_id) if survey is not None else None
    if case is None or not _theirs(turn, case) or key not in ("1", "2"):
        turn.say("not_understood", hint="")
        return
    turn.message.case_id = case.id
    outcome = satisfaction.answer(turn.session, case, key == "1", via=VIA)
    if outcome == "late":
        turn.say("survey_late", number=case.number)
    elif outcome == "closed":
        turn.say("survey_solved", number=case.number)
    else:
        turn.say("survey_reopened", number=case.number)
        if turn.conversation.state is None:  # not in the middle of a new complaint
            turn.go(WORDS_STEP)
            turn.remember(survey_case=case.id)


def _theirs(turn: Turn, case: Case) -> bool:
    """The button came from the conversation the question was written to, or the complainant."""
    asked_here = turn.session.scalar(select(Message.id).where(
        Message.conversation_id == turn.conversation.id, Message.case_id == case.id).limit(1))
    person = case.complainant
    return asked_here is not None or bool(person and person.phone_hash
                                          and person.phone_hash == turn.conversation.phone_hash)


def on_words(turn: Turn) -> None:
    """Step survey_words: what is still wrong, in the citizen's words (or voice, or a photo)."""
    case = turn.session.get(Case, turn.data.get("survey_case") or 0)
    said = turn.said
    if case is None:
        turn.end()
        return
    turn.message.case_id = case.id
    note = said.text.strip() if said.kind == "text" else ""
    try:
        if said.kind == "audio":
            recording = media.store_voice(turn.session, case, said.media_id, said.mime)
            recording.kind = "survey_comment"
            casework.recording_stored(turn, recording)
            note = f"[رسالة صوتية — voice note, recording {recording.id}]"
        elif said.kind == "image":
            media.store_photo(turn.session, case, said.media_id, said.mime)
            note = f"[صورة — photo] {said.text}".strip()
    except media.Refused as refused:
        turn.say(refused.reason, limit=round(settings.get().whatsapp_max_photo_bytes / 2**20, 1))
        return
    if not note:
        turn.retry(lambda t: t.say("survey_reopened", number=case.number))
        return
    turn.session.add(CaseHistory(case_id=case.id, actor=satisfaction.CITIZEN, event="citizen_words",
                                 note=note))
    events.publish_after_commit(turn.session, events.Event(
        "case.citizen_words", case_id=case.id, payload={"number": case.number, "via": VIA,
                                                        "entity_id": case.entity_id}))
    turn.say("survey_words_received", number=case.number)
    turn.end()
