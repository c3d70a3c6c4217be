"""What the WhatsApp intake says and understands, from config/whatsapp.yaml (Arabic and English)."""
from __future__ import annotations

import re
from functools import cache

from hotline import arabic, resources

_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_LATIN_LETTER = re.compile("[A-Za-z]")


@cache
def _config() -> dict:
    return resources.load_yaml("whatsapp.yaml")


def say(name: str, language: str, **values) -> str:
    """The text ``name`` in ``language`` with its placeholders filled."""
    entry = _config()["texts"][name]
    return entry.get(language, entry["ar"]).format(**values)


def status_label(status: str, language: str) -> str:
    """A case status as the citizen reads it."""
    entry = _config()["statuses"].get(status, {"ar": status, "en": status})
    return entry.get(language, entry["ar"])


def national_id_reason(problem: str, language: str) -> str:
    """Why a national ID was refused (hotline.national_id says it in English), in ``language``."""
    if language == "en":
        return problem
    reasons = _config()["national_id_reasons"]
    return next((text for start, text in reasons.items() if problem.startswith(start)), problem)


@cache
def _words(kind: str) -> frozenset[str]:
    return frozenset(arabic.normalise(w) for w in _config()["words"][kind])


def is_word(kind: str, text: str | None) -> bool:
    """True when the citizen typed one of the ``kind`` words (cancel, done, skip, yes, no, ...)."""
    return arabic.normalise(text) in _words(kind)


def language_of(text: str | None, current: str) -> str:
    """Arabic when the text has Arabic letters, English when only Latin ones, else ``current``."""
    if not text:
        return current
    if _ARABIC_LETTER.search(text):
        return "ar"
    if _LATIN_LETTER.search(text):
        return "en"
    return current


def digits(text: str | None) -> str:
    """The digits of a reply (Arabic-Indic digits too), spaces and dashes ignored."""
    return re.sub(r"\D", "", arabic.normalise(text).replace(" ", ""))
