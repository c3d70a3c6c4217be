"""Arabic normalisation, PII redaction and category suggestion, on Arabic text."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from hotline import arabic, number_words

ARABIC_TEXT = st.text(alphabet=st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآىةـ ًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789،؟.-+ ")),
    max_size=60)


@pytest.mark.parametrize("written, folded", [
    ("أحمد", "احمد"), ("إسماعيل", "اسماعيل"), ("آمنة", "امنه"), ("ٱلله", "الله"),
    ("مدرسة", "مدرسه"), ("مستشفى", "مستشفي"), ("شـــارع", "شارع"),
    ("القُمَامَةُ", "القمامه"), ("مُخَلَّفَات", "مخلفات"),
    ("رقم ١٢٣", "رقم 123"), ("رقم ۴۵۶", "رقم 456"), ("Water PIPE", "water pipe"),
    ("الشارع، والحارة؟  فين!", "الشارع والحاره فين"),
])
def test_normalise_folds_spelling_variants(written, folded):
    assert arabic.normalise(written) == folded


def test_normalise_makes_variants_meet():
    assert arabic.normalise("مستشفى الأطفال") == arabic.normalise("مستشفي الاطفال")
    assert arabic.normalise("") == "" and arabic.normalise(None) == ""


@given(ARABIC_TEXT)
def test_normalise_is_idempotent(text):
    once = arabic.normalise(text)
    assert arabic.normalise(once) == once


@pytest.mark.parametrize("text, secret", [
    ("رقمي 01012345678 يا فندم", "01012345678"),
    ("رقمي ٠١٠١٢٣٤٥٦٧٨ يا فندم", "٠١٠١٢٣٤٥٦٧٨"),
    ("كلمني على 010 1234 5678", "010 1234 5678"),
    ("من برة +201112345678", "+201112345678"),
    ("التليفون الأرضي 0225551234", "0225551234"),
    ("الرقم القومي 29001011234567 لو سمحت", "29001011234567"),
    ("الرقم القومي ٢٩٠٠١٠١١٢٣٤٥٦٧", "٢٩٠٠١٠١١٢٣٤٥٦٧"),
    ("الرقم القومي ۲۹۰۰۱۰۱۱۲۳۴۵۶۷", "۲۹۰۰۱۰۱۱۲۳۴۵۶۷"),
])
def test_redact_masks_ids_and_phones(text, secret):
    redacted = arabic.redact(text)
    assert secret not in redacted
    assert not any(ch.isdigit() for ch in redacted)
    assert arabic.MASK * 4 in redacted
    assert len(redacted) == len(text)


@pytest.mark.parametrize("text", [
    "عمارة 15 الدور 3", "دفعت 500 جنيه سنة 2024", "من ٣ أيام", "شارع ٢٦ يوليو", "",
])
def test_redact_keeps_ordinary_numbers(text):
    assert arabic.redact(text) == text


@given(ARABIC_TEXT)
def test_redact_keeps_length_and_leaves_no_phone(text):
    redacted = arabic.redact(text)
    assert len(redacted) == len(text)
    assert arabic.redact(redacted) == redacted


@pytest.mark.parametrize("text, code", [
    ("في زبالة كتير في الشارع والقمامة مرمية جنب البيت", "garbage"),
    ("المخلفات متكومة من أسبوع", "garbage"),
    ("المية مقطوعة من يومين والمجاري طافحة", "water_sewage"),
    ("الكهربا بتقطع كل يوم والعداد بايظ", "electricity"),
    ("في حفرة كبيرة في الطريق", "roads_traffic"),
    ("المستشفى مفيهاش دكتور", "health"),
    ("المخبز مش بيدي عيش بالبطاقة", "supply_bread"),
    ("there is garbage and trash everywhere", "garbage"),
])
def test_suggest_category_from_keywords(text, code):
    suggestion = arabic.suggest_category(text)
    assert suggestion is not None
    assert suggestion[0] == code
    assert 0 < suggestion[1] <= 1


def test_suggest_category_without_keywords_is_none():
    assert arabic.suggest_category("السلام عليكم عايز أسأل سؤال") is None
    assert arabic.suggest_category("") is None


def test_suggestion_score_grows_with_evidence_and_falls_with_doubt():
    one = arabic.suggest_category("في زبالة")[1]
    three = arabic.suggest_category("في زبالة وقمامة ومخلفات")[1]
    mixed = arabic.suggest_category("في زبالة وقمامة والمية مقطوعة")
    assert three > one
    assert mixed[0] == "garbage" and mixed[1] < three


def test_suggestion_matches_diacritics_and_clitics():
    assert arabic.suggest_category("وبالقُمَامَةِ")[0] == "garbage"
    assert arabic.category_hits("صندوق القمامة") == {"garbage": 2}


# --- spoken numbers (hotline.number_words: the one converter, for transcripts and redaction) ---

@pytest.mark.parametrize("said, written", [
    ("رقمي القومي اتنين تسعة صفر صفر واحد صفر واحد واحد اتنين تلاتة اربعة خمسة ستة سبعة",
     "رقمي القومي 29001011234567"),
    ("كلمني على صفر واحد صفر واحد اتنين تلاتة اربعة خمسة ستة سبعة تمانية", "كلمني على 01012345678"),
    ("كلمني على صفر مية وعشرة اتنين تلاتة اربعة خمسة ستة سبعة تمانية", "كلمني على 01102345678"),
    ("التليفون صفر خمسين اتنين تلاتة اربعة خمسة ستة سبعة", "التليفون 050234567"),  # not +966…
    ("تسعة وعشرين، صفر صفر واحد", "29001"),  # groups read with a pause between them
    ("رقم الشكوى اتنين ستة صفر صفر صفر صفر واحد اتنين تلاتة.", "رقم الشكوى 260000123."),
    ("صفر دبل واحد اتنين", "0112"), ("رقمي ٠١٠ اتنين تلاتة اربعة", "رقمي 010234"),
    ("العمارة رقم خمستاشر", "العمارة رقم 15"), ("الفصل فيه تمانين طالب", "الفصل فيه 80 طالب"),
    ("مية وخمسة وعشرين", "125"), ("خمسة و عشرين يوم", "25 يوم"), ("ألف وتسعمية وتسعين", "1990"),
    ("عشرين الف جنيه", "20000 جنيه"), ("تلات تلاف وخمسمية", "3500"), ("خمسة عشر يوم", "15 يوم"),
    ("تلت مية متر", "300 متر"), ("ثلاثمائة وخمسون", "350"),
])
def test_spoken_numbers_become_digits(said, written):
    assert number_words.to_digits(said) == written


@pytest.mark.parametrize("text", [
    "المية مقطوعة من تلات أيام", "بقالنا تلات أيام من غير مية", "واحد صاحبي قالي",
    "الناس ميتين من الحر", "ألف شكر يا فندم", "خمسة ستة أيام", "الست اللي في الدور الخامس",
    "010 1234 5678", "",
])
def test_everyday_words_and_written_digits_stay(text):
    assert number_words.to_digits(text) == text


def test_spans_point_at_the_words_said():
    text = "رقمي اتنين تسعة صفر، شكرا"
    [(start, end, written)] = number_words.spans(text)
    assert text[start:end] == "اتنين تسعة صفر،" and written == "290،"


def test_a_spoken_id_is_masked_once_it_is_digits_and_also_as_words():
    said = "رقمي القومي اتنين تسعة صفر صفر واحد صفر واحد واحد اتنين تلاتة اربعة خمسة ستة سبعة"
    assert not any(ch.isdigit() for ch in arabic.redact(number_words.to_digits(said)))
    assert "تسعة" not in arabic.redact(said)  # redaction reads the words themselves too


def test_digit_groups_split_by_commas_are_one_identifier():
    # What Whisper writes for an ID read in groups: "2 -9, 0 -0 -1, 1 -1 -2 -3 -4 -5 -6 -7".
    for text in ("2 -9, 0 -0 -1, 0 -1 -1 -2 -3 -4 -5 -6 -7", "٢٩٠، ٠١٠١، ١٢٣٤٥٦٧"):
        assert not any(ch.isdigit() for ch in arabic.redact(text).translate(
            str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))), text
