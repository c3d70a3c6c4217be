"""Arabic normalisation, PII redaction and category suggestion, on Arabic text."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from hotline import arabic

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
