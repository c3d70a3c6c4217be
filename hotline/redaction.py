"""Identity patterns in free text: national IDs and phone numbers found and masked.

A complainant types or says their national ID or phone number into the description, a photo
caption, a WhatsApp message or a note, and a recogniser writes what was said: digits
(Western, Arabic-Indic or Eastern), Arabic number words (``اتنين تسعة صفر``, ``تسعة وعشرين``),
with separators between the groups (``290 - 0101 - 1234567``, ``/``, double spaces) or a
connector word (``ثم``, ``و``). :func:`redact` masks every run of those that, read as one number,
is an identifier; ordinary numbers (a house number, an amount, a year) stay.

Masking keeps the text's length and its separators, so a reader sees that a number was there
and the same function can mask word lists aligned on the text (:func:`redact_words`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hotline import number_words

MASK = "*"
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NATIONAL_ID = re.compile(r"^[23]\d{13}$")
_MOBILE = re.compile(r"^(?:0|20|0020)?1[0125]\d{8}$")
_LANDLINE = re.compile(r"^(?:0|20|0020)(?:2\d{8}|3\d{7}|[4-9]\d{8})$")
# Marks and tatweel belong to the word they sit on.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_TOKENS = re.compile(
    rf"(?P<digits>[0-9\u0660-\u0669\u06f0-\u06f9]+)"
    rf"|(?P<word>(?:[^\W\d_]|[{_MARKS}])+)"
    r"|(?P<sep>[,، \t\r\n\u00a0\u200f\u200e\-/\\.+_–—|:()]+)"
    r"|(?P<other>.)", re.S)
# Words said between the groups of one number ("...٢٩٠ ثم ٠١٠١...", "تلاتة شرطة اربعة").
CONNECTORS = frozenset({"و", "ثم", "وبعدين", "بعدين", "بعدها", "وبعدها", "شرطه", "شرطة", "سلاش",
                        "والباقي", "الباقي", "باقي", "dash", "then", "and"})
_MAX_CONNECTORS = 2  # in a row, between two groups
_MAX_GAP = 8  # separator characters between two groups


@dataclass(frozen=True)
class _Token:
    kind: str  # num | sep | conn | other
    start: int
    end: int
    value: number_words.Said | None = None


def _tokens(text: str) -> list[_Token]:
    found = []
    for match in _TOKENS.finditer(text):
        kind, start, end = match.lastgroup, match.start(), match.end()
        if kind == "digits":
            found.append(_Token("num", start, end, number_words.Said(match.group().translate(_DIGITS))))
        elif kind == "word":
            said = number_words.read(match.group())
            if said is not None:
                found.append(_Token("num", start, end, said))
            elif number_words.fold(match.group()) in CONNECTORS:
                found.append(_Token("conn", start, end))
            else:
                found.append(_Token("other", start, end))
        else:
            found.append(_Token(kind, start, end))
    return found


def _runs(tokens: list[_Token]) -> list[list[_Token]]:
    """Maximal runs of number tokens joined by short gaps of separators and connector words."""
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    gap: list[_Token] = []
    for token in tokens:
        if token.kind == "num":
            if current and _joins(gap):
                current.append(token)
            else:
                if current:
                    runs.append(current)
                current = [token]
            gap = []
        elif token.kind in ("sep", "conn") and current:
            gap.append(token)
        else:
            if current:
                runs.append(current)
            current, gap = [], []
    if current:
        runs.append(current)
    return runs


def _joins(gap: list[_Token]) -> bool:
    connectors = sum(1 for t in gap if t.kind == "conn")
    spaces = sum(t.end - t.start for t in gap if t.kind == "sep")
    return connectors <= _MAX_CONNECTORS and spaces <= _MAX_GAP


def looks_personal(digits: str) -> bool:
    """True for digits that are a national ID or a phone number (11 digits or more: an
    identifier of some kind, never an amount or a house number)."""
    return bool(len(digits) >= 11 or _NATIONAL_ID.match(digits) or _MOBILE.match(digits)
                or _LANDLINE.match(digits))


def _spans(text: str) -> list[tuple[int, int]]:
    """Where the identifiers in ``text`` are: the (start, end) of each number token to mask."""
    spans = []
    for run in _runs(_tokens(text)):
        digits = number_words.join([t.value for t in run])
        if looks_personal(digits):
            spans.extend((t.start, t.end) for t in run)
    return spans


def redact(text: str | None) -> str:
    """``text`` with every national ID and phone number masked, however it was written."""
    if not text:
        return ""
    chars = list(text)
    for start, end in _spans(text):
        chars[start:end] = MASK * (end - start)
    return "".join(chars)


def contains_identity(text: str | None) -> bool:
    """True when ``text`` holds something :func:`redact` would mask."""
    return bool(text) and bool(_spans(text))


def redact_words(words: list[dict] | None) -> list[dict]:
    """A recogniser's word list (``[{"word", "start", ...}]``) with identifier words masked,
    judged on the words read together (an ID said digit by digit is one number)."""
    if not words:
        return []
    text, bounds = "", []
    for item in words:
        word = str(item.get("word", ""))
        bounds.append((len(text), len(text) + len(word)))
        text += word + " "
    masked = redact(text)
    return [{**item, "word": masked[a:b]} for item, (a, b) in zip(words, bounds)]


def scrub(value: Any) -> Any:
    """``value`` (text, or dicts and lists of it) with identifiers masked: for audit details."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(item) for item in value]
    return value
