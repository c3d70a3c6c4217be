"""Identity redaction in free text: every way a national ID or phone number is typed or said."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from hotline import number_words, redaction

NID, PHONE = "29001011234567", "01012345678"
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
SAID = {"0": "صفر", "1": "واحد", "2": "اتنين", "3": "تلاتة", "4": "اربعة", "5": "خمسة",
        "6": "ستة", "7": "سبعة", "8": "تمانية", "9": "تسعة"}


def spoken(digits: str) -> str:
    """Digits as Vosk/Whisper write them when a caller reads them one by one."""
    return " ".join(SAID[d] for d in digits)


@pytest.mark.parametrize("text", [
    f"رقمي القومي {NID} لو سمحت",
    "الرقم 290 - 0101 - 1234567 يا فندم",  # spaced dashes
    "2900101/1234567",
    "2900  1011  2345  67",  # double spaces
    "الرقم 2900101 ثم 1234567",  # split across words
    "رقمي ٢٩٠٠١٠١ و ١٢٣٤٥٦٧",
    f"القومي {NID.translate(INDIC)}",
    f"القومي {NID.translate(EASTERN)}",
    f"بطاقتي {spoken(NID)} والشارع مقفول",  # digit by digit, as a recogniser writes it
    f"كلمني على {spoken(PHONE)}",
    "كلمني على صفر مية واحد اتنين تلاتة اربعة خمسة ستة سبعة تمانية",  # "0" "100" "12345678"
    f"موبايلي {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}",
    "من برة +20 10 1234 5678",
    "٢٩٠ صفر واحد صفر واحد ١٢٣٤٥٦٧",  # digits and words mixed
    "رقمي ٠١٠ – ١٢٣٤ – ٥٦٧٨",
    "اتصل 0225551234",
])
def test_identifiers_are_masked_however_written(text):
    masked = redaction.redact(text)
    assert redaction.MASK * 3 in masked
    assert len(masked) == len(text)  # word lists stay aligned
    digits = "".join(ch for ch in masked.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0" * 20))
                     if ch.isdigit())
    assert len(digits) < 4, masked
    assert not any(word in masked.split() for word in SAID.values()), masked
    assert redaction.contains_identity(text) and not redaction.contains_identity(masked)


@pytest.mark.parametrize("text", [
    "عمارة 15 الدور 3", "دفعت 500 جنيه سنة 2024", "من ٣ أيام", "شارع ٢٦ يوليو", "",
    "المية مقطوعة من تلاتة أيام", "الشقق 12 و 14 و 16", "اتولدت سنة ألف وتسعمية وتسعين",
    "الست اللي ساكنة في الدور الخامس", "الساعة 10:30 يوم 2024/05/12",
])
def test_ordinary_numbers_stay(text):
    assert redaction.redact(text) == text


@pytest.mark.parametrize("words, digits", [
    ("تسعة وعشرين", "29"), ("مية وخمسة وعشرين", "125"), ("ألف وتسعمية وتسعين", "1990"),
    ("اتنين تسعة صفر", "290"), ("صفر عشرة", "010"), ("اتناشر", "12"), ("ثلاثة", "3"),
    ("وخمسة", "5"), ("إثنين", "2"), ("تسعتاشر", "19"),
])
def test_number_words_read_as_digits(words, digits):
    said = [number_words.read(w) for w in words.split()]
    assert None not in said
    assert number_words.join(said) == digits


def test_words_that_are_not_numbers():
    assert number_words.read("شارع") is None and number_words.read("والمدرسة") is None


def test_word_lists_are_masked_together():
    words = [{"word": w, "start": i * 0.4} for i, w in enumerate(
        ["رقمي", *spoken(NID).split(), "شكرا"])]
    masked = redaction.redact_words(words)
    assert masked[0]["word"] == "رقمي" and masked[-1]["word"] == "شكرا"
    assert all(set(m["word"]) == {"*"} for m in masked[1:-1])
    assert [m["start"] for m in masked] == [w["start"] for w in words]


def test_scrub_masks_nested_details():
    detail = {"filters": {"q": f"بطاقة {NID}", "page": 2}, "numbers": [PHONE, "15"]}
    assert redaction.scrub(detail) == {"filters": {"q": "بطاقة " + "*" * 14, "page": 2},
                                       "numbers": ["*" * 11, "15"]}


PIECES = st.sampled_from(list("0123456789٠١٢٣٤٥٦٧٨٩ -/ابتو") + ["صفر", "واحد", "تسعة", "ثم", " "])


@given(st.lists(PIECES, max_size=40).map("".join))
def test_redaction_is_idempotent_and_keeps_length(text):
    once = redaction.redact(text)
    assert len(once) == len(text) and redaction.redact(once) == once
