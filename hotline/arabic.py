"""Arabic text handling shared by every part: normalisation, category suggestion (and redact,
which hands over to hotline.redaction).

``normalise`` is the one normaliser: transcripts are stored normalised (``search_text``) and the
console normalises search queries with it, so both sides agree on spelling variants.
"""
from __future__ import annotations

import re
from functools import cache

from hotline import redaction, reference

# Alef with hamza above/below, madda and wasla are all written plain alef in search.
_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ة": "ه",  # ta marbuta, often written as ha
    "ى": "ي",  # alef maqsura, often written as ya (and the other way round)
    "ـ": None,  # tatweel only stretches a word
})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_NOT_WORD = re.compile(r"[^\w]+")

MASK = "*"  # what hotline.redaction masks with

# Clitics written joined to a word: conjunctions, then prepositions, then the article.
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")
_ARTICLES = ("ال", "لل")


def normalise(text: str | None) -> str:
    """Text folded for search and matching: one alef, ha for ta marbuta, ya for alef maqsura,
    no tatweel or diacritics, Western digits, lower case, punctuation as single spaces."""
    if not text:
        return ""
    text = _DIACRITICS.sub("", text).translate(_LETTERS).translate(_DIGITS).lower()
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


def redact(text: str | None) -> str:
    """The text with every national ID and phone number masked (see :mod:`hotline.redaction`,
    the one place identity redaction lives)."""
    return redaction.redact(text)


def _stems(word: str) -> set[str]:
    """A word and the forms left after removing joined clitics (والزبالة → زباله)."""
    forms = {word}
    for prefixes in (_CONJUNCTIONS, _PREPOSITIONS, _ARTICLES):
        for form in list(forms):
            for prefix in prefixes:
                if form.startswith(prefix) and len(form) - len(prefix) >= 2:
                    forms.add(form[len(prefix):])
    return forms


def _base(word: str) -> str:
    """A keyword without its article (المياه → مياه); other prefixes may be part of the word."""
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 3:
            return word[len(article):]
    return word


@cache
def _keywords() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each category's keywords, normalised, as tuples of words without the article."""
    return {category.code: tuple(sorted({tuple(_base(w) for w in normalise(k).split())
                                         for k in category.keywords if normalise(k)}))
            for category in reference.categories()}


def _hits(stems: list[set[str]], phrase: tuple[str, ...]) -> int:
    size = len(phrase)
    return sum(1 for i in range(len(stems) - size + 1)
               if all(word in stems[i + j] for j, word in enumerate(phrase)))


def category_hits(text: str | None) -> dict[str, int]:
    """How many times each category's keywords occur in the text (categories with hits only)."""
    stems = [_stems(word) for word in normalise(text).split()]
    hits = {}
    for code, phrases in _keywords().items():
        count = sum(_hits(stems, phrase) for phrase in phrases)
        if count:
            hits[code] = count
    return hits


def suggest_category(text: str | None) -> tuple[str, float] | None:
    """The category the text most likely belongs to and a score in (0, 1], or None.

    The score is the winner's share of all keyword hits, damped when the evidence is thin:
    one lone keyword scores 0.5, three unopposed keywords 0.75.
    """
    hits = category_hits(text)
    if not hits:
        return None
    order = {c.code: i for i, c in enumerate(reference.categories())}
    code = min(hits, key=lambda c: (-hits[c], order[c]))
    best, total = hits[code], sum(hits.values())
    return code, round(best / total * best / (best + 1), 3)
