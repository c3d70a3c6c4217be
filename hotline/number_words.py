"""Arabic number words as a recogniser writes them, read as digits: the one converter.

A caller says a national ID, a phone or a complaint number digit by digit (``اتنين تسعة صفر``),
in groups (``صفر مية وعشرة، اتنين وتلاتين``) or as one number (``تسعة وعشرين``: the units before
the tens, joined by و; ``مية وخمسة``; MSA ``خمسة عشر``, ``تلات تلاف``). Egyptian and standard
spellings, masculine and feminine, و joined or apart. Two users, one grammar:

* identity redaction (``hotline.redaction``) reads each word with :func:`read` and a run of them
  (and of written digits) with :func:`join`, then decides whether the digits are an identifier;
* transcripts (``transcription.numbers``) turn number words into digits with :func:`convert`
  (word lists) or :func:`to_digits` (text), so that the transcript an agent reads, search, the
  complaint-number look-up and redaction see digits. Only clear numbers are converted: a lone
  small number (``تلات أيام``, ``واحد صاحبي``), a lone مية (also "water"), ميتين ("dead") or
  ألف (``ألف شكر``), and two digits side by side (``خمسة ستة أيام``) stay words.

The arabic-itn package was measured first and not used: bench/number_words.py shows why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None})
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_PUNCTUATION = "،,.-–؟?!:;؛\"'()«»"
_STOP = re.compile(r"[.؟?!:;؛]$")  # a number does not run on past the end of a sentence


def fold(word: str) -> str:
    """A word without marks or tatweel, one alef, ha for ta marbuta, ya for alef maqsura."""
    return _MARKS.sub("", word).translate(_FOLD).lower()


# kind: zero, unit (1-9), ten, teen (11-19), tens (20-90), hundred (100-900), thousand and
# million (multipliers), plural (آلاف, ملايين: after 3-10), hprefix (تلت in "تلت مية"),
# preten (احد, اثنا in "احد عشر").
_SPELLINGS = {
    (0, "zero"): "صفر زيرو zero",
    (1, "unit"): "واحد واحدة one",
    (2, "unit"): "اتنين اثنين إثنين إتنين اثنان اتنان تنين اتنتين اثنتين اثنتان ثنتين two",
    (3, "unit"): "تلاتة ثلاثة تلات ثلاث three",
    (4, "unit"): "أربعة اربعة أربع اربع four",
    (5, "unit"): "خمسة خمس five",
    (6, "unit"): "ستة ست six",
    (7, "unit"): "سبعة سبع seven",
    (8, "unit"): "تمانية ثمانية تمنية ثماني تمان ثمان eight",
    (9, "unit"): "تسعة تسع nine",
    (10, "ten"): "عشرة عشر ten",
    (1, "preten"): "احد إحدى احدى حادي",
    (2, "preten"): "اثنا اثني اثنتا اثنتي",
    (11, "teen"): "حداشر احداشر حداشار احدعشر حدعشر",
    (12, "teen"): "اتناشر اطناشر اثناشر اتنعشر",
    (13, "teen"): "تلتاشر تلطاشر تلاتاشر ثلاثتاشر",
    (14, "teen"): "اربعتاشر أربعتاشر اربعطاشر",
    (15, "teen"): "خمستاشر خمصتاشر خمسطاشر",
    (16, "teen"): "ستاشر سطاشر",
    (17, "teen"): "سبعتاشر سبعطاشر",
    (18, "teen"): "تمنتاشر تمانتاشر ثمنتاشر تمنطاشر",
    (19, "teen"): "تسعتاشر تسعطاشر",
    (20, "tens"): "عشرين عشرون",
    (30, "tens"): "تلاتين ثلاثين ثلاثون",
    (40, "tens"): "أربعين اربعين أربعون",
    (50, "tens"): "خمسين خمسون",
    (60, "tens"): "ستين ستون",
    (70, "tens"): "سبعين سبعون",
    (80, "tens"): "تمانين ثمانين ثمانون",
    (90, "tens"): "تسعين تسعون",
    (100, "hundred"): "مية مائة مئة ميت",
    (200, "hundred"): "ميتين متين مئتين مائتين مئتان مائتان",
    (300, "hundred"): "تلتمية تلاتمية ثلاثمائة ثلاثمية ثلاثمئة",
    (400, "hundred"): "ربعمية اربعمية أربعمائة اربعمئة",
    (500, "hundred"): "خمسمية خمسمائة خمسمئة",
    (600, "hundred"): "ستمية ستمائة ستمئة",
    (700, "hundred"): "سبعمية سبعمائة سبعمئة",
    (800, "hundred"): "تمنمية تمانمية ثمانمائة ثمانمئة",
    (900, "hundred"): "تسعمية تسعمائة تسعمئة",
    (3, "hprefix"): "تلت", (4, "hprefix"): "ربع", (8, "hprefix"): "تمن",
    (1000, "thousand"): "ألف الف", (2000, "thousand"): "ألفين الفين الفان",
    (1000, "plural"): "آلاف الاف تلاف",
    (10 ** 6, "million"): "مليون", (2 * 10 ** 6, "million"): "مليونين",
    (10 ** 6, "plural"): "ملايين",
}
_LEXICON: dict[str, tuple[int, str]] = {fold(word): meaning for meaning, words in _SPELLINGS.items()
                                        for word in words.split()}
#: Every word that says a number by itself, and its value.
WORDS: dict[str, int] = {word: value for word, (value, kind) in _LEXICON.items()
                         if kind not in ("preten", "hprefix", "plural")}
_REPEAT = {"دبل": 2, "دوبل": 2, "double": 2, "تريبل": 3, "triple": 3}


@dataclass(frozen=True)
class Said:
    """One number token: written ``digits``, or a number word's ``value`` (and its kind)."""

    digits: str
    value: int | None = None
    waw: bool = False  # the word came joined to و ("and"): it may add to the number before it
    kind: str | None = None
    stop: bool = False  # the word ends a sentence: no number runs on past it


def read(word: str) -> Said | None:
    """The number a single word says (``وعشرين`` → 20, joined by و), or None."""
    folded = fold(word)
    waw = folded not in _LEXICON and folded[:1] == "و" and folded[1:] in _LEXICON
    meaning = _LEXICON.get(folded[1:] if waw else folded)
    if meaning is None:
        return None
    return Said(str(meaning[0]), meaning[0], waw=waw, kind=meaning[1])


def join(said: list[Said]) -> str:
    """The digits of a run of number tokens read as one number, group after group."""
    groups, i = [], 0
    while i < len(said):
        group = _group(said, i)
        if group is None:  # a word that is a number only beside another (احد, تلت, آلاف)
            i += 1
            continue
        groups.append(group[1])
        i = group[0]
    return "".join(groups)


# --- the grammar -------------------------------------------------------------------------------

def _kind(token: Said | None) -> tuple[int | None, str | None]:
    return (token.value, token.kind) if token is not None and token.kind else (None, None)


def _pair(toks: list[Said | None], i: int) -> tuple[int, int] | None:
    """A number said in two words from toks[i]: "احد عشر", "خمسة عشر" or "تلت مية" (end, value)."""
    if i + 1 >= len(toks) or toks[i].stop or toks[i + 1] is None or toks[i + 1].waw:
        return None
    (first, kind), (second, then) = _kind(toks[i]), _kind(toks[i + 1])
    if kind in ("unit", "preten") and then == "ten":
        return i + 2, first + 10
    if kind in ("unit", "hprefix") and then == "hundred" and second == 100 and first >= 3:
        return i + 2, first * 100
    return None


def _cardinal(toks: list[Said | None], i: int) -> tuple[int, int] | None:
    """One number said as a number from toks[i] ("مية وخمسة وعشرين"): (end, value) or None."""
    value, kind = _kind(toks[i])
    if kind in (None, "plural", "repeat"):
        return None
    if kind == "zero":
        return i + 1, 0
    total, group, last = 0, 0, None  # last: the place of the previous part (the order rule)
    j = i
    while j < len(toks) and not (j > i and toks[j - 1].stop):
        value, kind = _kind(toks[j])
        if kind in (None, "zero", "repeat"):
            break
        if kind in ("thousand", "million", "plural") and not (j > i and toks[j].waw):
            # A multiplier: the first word (ألف) or after a group (عشرين ألف, تلات تلاف).
            if j == i:
                total, last = value, value
            elif group and value in (1000, 10 ** 6) and (kind != "plural" or 3 <= group <= 10):
                total, group, last = total + group * value, 0, value
            else:
                break
            j += 1
            continue
        if j > i and not toks[j].waw:
            break  # the parts of one number are joined by و
        pair = _pair(toks, j) if kind in ("unit", "preten", "hprefix") else None
        if pair is None and kind in ("preten", "hprefix", "plural"):
            break
        end, value = pair or (j + 1, value)
        place = 10 ** (len(str(value)) - 1)
        units_then_tens = kind == "tens" and last == 1 and 0 < group % 100 < 10
        if last is not None and not (place < last or units_then_tens):
            break
        group, last, j = group + value, 1 if units_then_tens else place, end
    return (j, total + group) if j > i else None


def _group(toks: list[Said | None], i: int) -> tuple[int, str] | None:
    """One group of a reading: written digits, a repeated digit (دبل تلاتة) or a cardinal."""
    token = toks[i]
    if token is None:
        return None
    if token.kind is None:
        return i + 1, token.digits
    said = _cardinal(toks, i)
    return (said[0], str(said[1])) if said else None


# --- transcripts -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Number:
    """Words ``start`` to ``end`` (exclusive) say the digits ``digits``."""

    start: int
    end: int
    digits: str


def tokens(words: list[str]) -> list[Said | None]:
    """Each word as a number token, or None for a word that says no number."""
    out: list[Said | None] = []
    for index, word in enumerate(words):
        core = word.strip(_PUNCTUATION)
        literal = core.translate(_DIGITS)
        said = Said(literal) if literal.isdigit() else read(core) if core else None
        repeat = _REPEAT.get(fold(core))
        if said is None and repeat:
            said = Said("", repeat, kind="repeat")
        if said is not None:
            waw = said.waw or (index > 0 and fold(words[index - 1]) == "و")
            said = Said(said.digits, said.value, waw, said.kind, bool(_STOP.search(word)))
        out.append(said)
    return out


def _run(toks: list[Said | None], i: int) -> tuple[int, str] | None:
    """The number words from toks[i], groups one after another, as (end, digits) or None."""
    groups: list[str] = []
    spoken, j = False, i
    while j < len(toks) and toks[j] is not None and not (groups and (toks[j - 1].stop or toks[j].waw)):
        times = toks[j].value if toks[j].kind == "repeat" else 1
        start = j + 1 if toks[j].kind == "repeat" else j
        group = _group(toks, start) if start < len(toks) else None
        if group is None or (times > 1 and len(group[1]) != 1):
            break
        spoken = spoken or toks[j].kind is not None
        groups.append(group[1] * times)
        j = group[0]
    if not spoken:
        return None  # digits as written are left as they are
    digits = "".join(groups)
    if len(groups) > 1:
        return (j, digits) if len(digits) >= 3 else None
    if j - i > 1:
        return j, digits  # "خمسة وعشرين", "مية وعشرة", "تلت مية"
    value, kind = _kind(toks[i])
    # Alone, مية is also "water", ميتين "dead" and ألف "a thousand (thanks)".
    alone = kind in ("teen", "tens") or (kind == "hundred" and value > 200) or value == 2000
    return (j, digits) if alone else None


def find(words: list[str]) -> list[Number]:
    """Every run of number words in ``words`` that becomes digits, in order."""
    said = tokens(words)
    # A lone و between two number words ("خمسة و عشرين") is read as joined to the second.
    kept = [i for i, token in enumerate(said) if token is not None or not (
        fold(words[i]) == "و" and 0 < i < len(said) - 1 and said[i - 1] and said[i + 1])]
    toks = [said[i] for i in kept]
    found, i = [], 0
    while i < len(toks):
        run = _run(toks, i) if toks[i] is not None else None
        if run is None:
            i += 1
            continue
        found.append(Number(kept[i], kept[run[0] - 1] + 1, run[1]))
        i = run[0]
    return found


def written(words: list[str], number: Number) -> str:
    """The digits with the punctuation around the words they replace (``تلاتة.`` → ``3.``)."""
    first, last = words[number.start], words[number.end - 1]
    before = first[:len(first) - len(first.lstrip(_PUNCTUATION))]
    after = last[len(last.rstrip(_PUNCTUATION)):]
    return before + number.digits + after


def convert(words: list[str]) -> tuple[list[str], list[Number]]:
    """``words`` with each number said in words replaced by one word of digits, and the runs."""
    found = find(words)
    out, last = [], 0
    for number in found:
        out += words[last:number.start] + [written(words, number)]
        last = number.end
    return out + words[last:], found


_WORD = re.compile(r"\S+")


def spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, written): where in ``text`` number words say digits, and those digits."""
    matches = list(_WORD.finditer(text))
    words = [m.group(0) for m in matches]
    return [(matches[n.start].start(), matches[n.end - 1].end(), written(words, n))
            for n in find(words)]


def to_digits(text: str) -> str:
    """``text`` with every number said in words written in digits."""
    out, last = [], 0
    for start, end, written in spans(text):
        out += [text[last:start], written]
        last = end
    return "".join(out) + text[last:]
