"""The WhatsApp conversation, one step per state: menu, category, governorate, description,
photos and location, consent, name, national ID; then the case number. Follow-up lives in
``followup``. Arabic first; the conversation turns English when the citizen writes English.
"""
from __future__ import annotations

from datetime import timedelta

from hotline import arabic, reference, settings
from hotline.models import utcnow
from agent_console.whatsapp import casework, followup, identity, media, replies, survey, texts
from agent_console.whatsapp.turn import Said, Turn

MAX_PHOTOS = 10
MIN_DESCRIPTION = 10  # characters
VOICE_NOTE = "[رسالة صوتية — voice note]"
# Steps where the citizen types personal data: never switch language on it, never log it.
PERSONAL_STEPS = {"name": "[الاسم — name]", "national_id": "[الرقم القومي — national ID]"}


def history_text(said: Said, step: str | None) -> str:
    """What the conversation history shows of an inbound message: personal answers masked."""
    if said.kind == "location":
        return f"📍 {said.latitude:.5f}, {said.longitude:.5f}"
    if said.kind in ("image", "document", "audio"):
        label = {"image": "[صورة — photo]", "document": "[ملف — file]", "audio": VOICE_NOTE}[said.kind]
        return f"{label} {arabic.redact(said.text)}".strip()
    if step in PERSONAL_STEPS and said.kind == "text":
        return PERSONAL_STEPS[step]
    return arabic.redact(said.text)


def handle(turn: Turn) -> None:
    """Answer one inbound message and move the conversation on."""
    conversation, said = turn.conversation, turn.said
    if said.kind == "ignored":
        return
    if conversation.state not in PERSONAL_STEPS and said.kind == "text":
        conversation.language = texts.language_of(said.text, conversation.language)
    _expire(turn)
    conversation.last_inbound_at = turn.message.created_at or utcnow()
    if conversation.state and turn.is_word("cancel"):
        casework.cancel(turn)
        turn.end()
        turn.say("cancelled")
        return
    if said.kind == "unsupported":
        turn.say("unsupported")
        return
    if survey.is_answer(turn):  # a survey button, whatever the conversation was doing (issue 18)
        survey.on_button(turn)
        return
    STEPS[conversation.state or "idle"](turn)


def _expire(turn: Turn) -> None:
    """A conversation silent for longer than the session timeout starts over; its case is kept."""
    if silent(turn.conversation, turn.message.created_at or utcnow()):
        time_out(turn)


def silent(conversation, now) -> bool:
    """True when a conversation under way heard nothing for ``whatsapp_session_minutes``."""
    last = conversation.last_inbound_at
    limit = timedelta(minutes=settings.get().whatsapp_session_minutes)
    return bool(conversation.state) and last is not None and now - last > limit


def time_out(turn: Turn, tell: bool = True) -> None:
    """End a silent conversation; with ``tell``, say so and give the kept case's number."""
    case = casework.current(turn)
    if tell:
        turn.say("timed_out")
        if case is not None:
            turn.say("kept_incomplete", case_number=case.number)
    turn.end()


def idle(turn: Turn) -> None:
    if followup.looks_like_number(turn.said.text):
        followup.lookup(turn, texts.digits(turn.said.text))
    elif _menu_choice(turn):
        menu(turn)  # someone who knows the menu may answer it before being greeted again
    else:
        _greet(turn)


def _greet(turn: Turn) -> None:
    turn.ask(replies.buttons(turn.text("greeting", number=turn.conversation.business_number),
                             ("new", turn.text("option_new")), ("follow", turn.text("option_follow"))))
    turn.go("menu")


def _menu_choice(turn: Turn) -> str | None:
    answer = texts.digits(turn.said.text) if turn.said.kind == "text" else ""
    if turn.is_word("new") or answer == "1":
        return "new"
    if turn.is_word("follow") or answer == "2":
        return "follow"
    return None


def menu(turn: Turn) -> None:
    choice = _menu_choice(turn)
    if choice == "new":
        _ask_category(turn)
    elif choice == "follow":
        followup.ask_number(turn)
    elif followup.looks_like_number(turn.said.text):
        followup.lookup(turn, texts.digits(turn.said.text))
    else:
        turn.retry(_greet)


def _name(item) -> tuple[str, str]:
    return item.name_ar, item.name_en


def _label(turn: Turn, item) -> str:
    return item.name_en if turn.language == "en" else item.name_ar


def _ask_category(turn: Turn) -> None:
    rows = [(f"cat:{c.code}", f"{c.digit}. {_label(turn, c)}", _label(turn, c)) for c in reference.categories()]
    options = "\n".join(f"{c.digit} - {_label(turn, c)}" for c in reference.categories())
    turn.ask(replies.choice_list(turn.text("ask_category", options=options),
                                 turn.text("categories_button"), rows))
    turn.go("category")


def _pick(turn: Turn, items, prefix: str, key):
    """The item chosen by list id, by number, or by name; None when nothing matches."""
    said = turn.said
    if said.choice.startswith(prefix):
        return next((i for i in items if key(i) == said.choice[len(prefix):]), None)
    typed = arabic.normalise(said.text)
    if typed.isdigit():
        return items[int(typed) - 1] if 1 <= int(typed) <= len(items) else None
    return next((i for i in items if typed and typed in {arabic.normalise(n) for n in _name(i)}), None)


def category(turn: Turn) -> None:
    chosen = _pick(turn, reference.categories(), "cat:", lambda c: c.code)
    if chosen is None:
        turn.retry(_ask_category)
        return
    turn.remember(category=chosen.code)
    _ask_governorate(turn)


def _ask_governorate(turn: Turn) -> None:
    options = "\n".join(f"{n} - {_label(turn, g)}" for n, g in enumerate(reference.governorates(), 1))
    turn.say("ask_governorate", options=options)
    turn.go("governorate")


def governorate(turn: Turn) -> None:
    chosen = _pick(turn, reference.governorates(), "gov:", lambda g: g.slug)
    if chosen is None:
        turn.retry(_ask_governorate)
        return
    turn.remember(governorate=chosen.slug)
    turn.say("ask_description")
    turn.go("description")


def _ask_photos(turn: Turn) -> None:
    turn.ask(replies.buttons(turn.text("ask_photos"), ("done", turn.text("done_button")),
                             ("skip", turn.text("skip_button"))))
    turn.go("photos")


def description(turn: Turn) -> None:
    said = turn.said
    if said.kind == "text":
        if len(said.text.strip()) < MIN_DESCRIPTION:
            turn.say("description_too_short")
            return
        casework.add_description(casework.draft(turn), said.text)
        _ask_photos(turn)
    elif said.kind == "audio":
        if _media(turn):  # a spoken description: the transcript will carry its words
            casework.add_description(casework.draft(turn), VOICE_NOTE)
            _ask_photos(turn)
    elif said.kind in ("image", "document", "location"):
        _media(turn)  # kept, but a description (typed or spoken) is still needed
        turn.say("ask_description")
    else:
        turn.retry(lambda t: t.say("ask_description"))


def photos(turn: Turn) -> None:
    said = turn.said
    if turn.is_word("done") or turn.is_word("skip"):
        identity.ask_consent(turn)
    elif said.kind in ("audio", "image", "document", "location"):
        _media(turn)
    elif said.kind == "text" and len(said.text.strip()) >= MIN_DESCRIPTION:
        casework.add_description(casework.draft(turn), said.text)
        _ask_photos(turn)
    else:
        turn.retry()


def _media(turn: Turn) -> bool:
    """A photo, voice note or location, wherever it arrives in the complaint; True when kept."""
    said = turn.said
    if said.kind == "location":
        casework.set_location(turn, said.latitude, said.longitude)
        turn.say("location_received")
        return True
    case = casework.draft(turn)
    try:
        if said.kind == "audio":
            casework.recording_stored(turn, media.store_voice(turn.session, case, said.media_id, said.mime))
            turn.say("voice_received")
            return True
        count = int(turn.data.get("photos", 0))
        if count >= MAX_PHOTOS:
            turn.say("photo_limit", limit=MAX_PHOTOS)
            return False
        media.store_photo(turn.session, case, said.media_id, said.mime)
    except media.Refused as refused:
        turn.say(refused.reason, limit=round(settings.get().whatsapp_max_photo_bytes / 2**20, 1))
        return False
    casework.add_description(case, said.text)  # a photo's caption is part of the complaint
    turn.remember(photos=count + 1)
    turn.say("photo_received", count=count + 1)
    return True


STEPS = {
    "idle": idle, "menu": menu, "category": category, "governorate": governorate,
    "description": description, "photos": photos, "consent": identity.consent,
    "name": identity.name, "national_id": identity.national_id_step, "follow_number": followup.on_number,
    "follow_verify": followup.on_verify, survey.WORDS_STEP: survey.on_words,
}
