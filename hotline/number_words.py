"""Arabic number words as a recogniser writes them, read as digits (for identity redaction).

Whisper and Vosk write a number said aloud as words, in Egyptian or standard spelling:
``صفر واحد صفر`` (digit by digit, the way IDs and phones are read), ``تسعة وعشرين`` (29, the
units before the tens, joined by و), ``مية وخمسة`` (105). :func:`read` reads one word, and
:func:`join` reads a run of them (and of written digits) as the digits of one number.

hotline.arabic converts number words for transcripts too (issue 17); this module only serves
hotline.redaction, and the two can be folded into one once both are settled.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None})
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")


def fold(word: str) -> str:
    """A word without marks or tatweel, one alef, ha for ta marbuta, ya for alef maqsura."""
    return _MARKS.sub("", word).translate(_FOLD).lower()


def _forms(value: int, *spellings: str) -> dict[str, int]:
    return {fold(s): value for s in spellings}


WORDS: dict[str, int] = {
    **_forms(0, "صفر", "زيرو", "zero"),
    **_forms(1, "واحد", "واحدة", "one"),
    **_forms(2, "اتنين", "اثنين", "إثنين", "إتنين", "اثنان", "two"),
    **_forms(3, "تلاتة", "ثلاثة", "تلات", "ثلاث", "three"),
    **_forms(4, "أربعة", "اربعة", "أربع", "اربع", "four"),
    **_forms(5, "خمسة", "خمس", "five"),
    **_forms(6, "ستة", "six"),
    **_forms(7, "سبعة", "سبع", "seven"),
    **_forms(8, "تمانية", "ثمانية", "تمنية", "تمان", "ثمان", "ثماني", "eight"),
    **_forms(9, "تسعة", "تسع", "nine"),
    **_forms(10, "عشرة", "ten"),
    **_forms(11, "حداشر", "احداشر", "حداشار"),
    **_forms(12, "اتناشر", "اطناشر", "اثناشر"),
    **_forms(13, "تلتاشر", "تلاتاشر", "ثلاثتاشر"),
    **_forms(14, "اربعتاشر", "أربعتاشر"),
    **_forms(15, "خمستاشر", "خمصتاشر"),
    **_forms(16, "ستاشر", "سطاشر"),
    **_forms(17, "سبعتاشر", "سبعطاشر"),
    **_forms(18, "تمنتاشر", "تمانتاشر", "ثمنتاشر"),
    **_forms(19, "تسعتاشر", "تسعطاشر"),
    **_forms(20, "عشرين", "عشرون"),
    **_forms(30, "تلاتين", "ثلاثين", "ثلاثون"),
    **_forms(40, "أربعين", "اربعين", "أربعون"),
    **_forms(50, "خمسين", "خمسون"),
    **_forms(60, "ستين", "ستون"),
    **_forms(70, "سبعين", "سبعون"),
    **_forms(80, "تمانين", "ثمانين", "ثمانون"),
    **_forms(90, "تسعين", "تسعون"),
    **_forms(100, "مية", "مائة", "مئة", "ميت"),
    **_forms(200, "ميتين", "مئتين", "مائتين", "مئتان"),
    **_forms(300, "تلتمية", "تلاتمية", "ثلاثمائة", "ثلاثمية"),
    **_forms(400, "ربعمية", "اربعمية", "أربعمائة"),
    **_forms(500, "خمسمية", "خمسمائة"),
    **_forms(600, "ستمية", "ستمائة"),
    **_forms(700, "سبعمية", "سبعمائة"),
    **_forms(800, "تمنمية", "تمانمية", "ثمانمائة"),
    **_forms(900, "تسعمية", "تسعمائة"),
    **_forms(1000, "ألف", "الف"),
    **_forms(2000, "ألفين", "الفين"),
}
# "ست" (a lady) and "عشر" are everyday words too; alone they never make an identifier.
WORDS.update(_forms(6, "ست"))
WORDS.update(_forms(10, "عشر"))


@dataclass(frozen=True)
class Said:
    """One number token: written ``digits``, or a number word's ``value``."""

    digits: str
    value: int | None = None
    waw: bool = False  # the word came joined to و ("and"): it may add to the number before it


def read(word: str) -> Said | None:
    """The number a single word says (``وعشرين`` → 20, joined by و), or None."""
    folded = fold(word)
    if folded in WORDS:
        return Said(str(WORDS[folded]), WORDS[folded])
    if folded[:1] == "و" and folded[1:] in WORDS:
        return Said(str(WORDS[folded[1:]]), WORDS[folded[1:]], waw=True)
    return None


def _adds(before: int, after: int) -> bool:
    """Whether "before و after" is one number (خمسة وعشرين, مية وخمسة, ألف وتسعمية)."""
    if 20 <= after < 100 and after % 10 == 0 and 0 < before % 100 < 10:
        return True  # units before tens (the hundreds, if any, before both)
    for scale in (1000, 100):
        if before % scale == 0 and before >= scale and after < scale:
            return True
    return False


def join(said: list[Said]) -> str:
    """The digits of a run of number tokens read as one number, group after group."""
    groups: list[int | str] = []
    for item in said:
        last = groups[-1] if groups else None
        if item.value is not None and item.waw and isinstance(last, int) and _adds(last, item.value):
            groups[-1] = last + item.value
        elif item.value is not None:
            groups.append(item.value)
        else:
            groups.append(item.digits)
    return "".join(str(g) for g in groups)
