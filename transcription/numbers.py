"""Spoken numbers in a transcript written as digits, whichever engine wrote the words.

A recogniser writes "اتنين تسعة صفر صفر …" for a national ID read aloud; agents, search,
redaction and the complaint-number look-up need ``2900…``. :func:`apply` rewrites an Arabic
Result's words with ``hotline.number_words`` (the one converter): the words of one number become
one word that spans their times, with their mean confidence. Other languages are left as
written (their recognisers write digits, and the converter reads Arabic).
"""
from __future__ import annotations

import re
from dataclasses import replace

from hotline import number_words
from transcription.engine import Result

_DIGIT_RUN = re.compile(r"\d+")


def apply(result: Result, language: str | None) -> Result:
    """``result`` with Arabic number words as digits, in its words and its text."""
    if language != "ar" or not result.words:
        return result
    texts = [w["word"] for w in result.words]
    found = number_words.find(texts)
    if not found:
        return result
    words, last = [], 0
    for number in found:
        words += result.words[last:number.start]
        said = result.words[number.start:number.end]
        words.append({"word": number_words.written(texts, number), "start": said[0]["start"],
                      "end": said[-1]["end"],
                      "conf": round(sum(w["conf"] for w in said) / len(said), 4)})
        last = number.end
    words += result.words[last:]
    return replace(result, words=words, text=" ".join(w["word"] for w in words))


def complaint_numbers(text: str, valid) -> list[str]:
    """The digit runs of ``text`` that ``valid`` accepts (complaint numbers), in order, once each."""
    seen: list[str] = []
    for run in _DIGIT_RUN.findall(text or ""):
        if valid(run) and run not in seen:
            seen.append(run)
    return seen
