"""Egyptian national ID numbers: 14 digits, C YYMMDD GG SSSS K.

C is the century (2: 1900s, 3: 2000s), YYMMDD the birth date, GG the governorate of birth
(config/entities.yaml), then a sequence whose last-but-one digit gives the sex, and a check digit
whose algorithm is not published, so it is not verified here.
"""
from __future__ import annotations

from datetime import date

from hotline import pii, reference
from hotline.errors import ValidationError


def problem(value: str) -> str | None:
    """Why ``value`` is not a valid national ID, or None if it is."""
    digits = pii.normalise("national_id", value) if value else ""
    if len(digits) != 14 or digits != value.strip().translate(pii.ARABIC_DIGITS):
        return "must be exactly 14 digits"
    century = {"2": 1900, "3": 2000}.get(digits[0])
    if century is None:
        return "first digit must be 2 or 3 (century of birth)"
    try:
        born = date(century + int(digits[1:3]), int(digits[3:5]), int(digits[5:7]))
    except ValueError:
        return "digits 2-7 are not a real birth date"
    if born > date.today():
        return "birth date is in the future"
    if digits[7:9] not in reference.nid_codes():
        return f"unknown governorate code {digits[7:9]}"
    return None


def validate(value: str) -> str:
    """The normalised national ID, or a ValidationError saying what is wrong."""
    reason = problem(value)
    if reason:
        raise ValidationError(f"national ID {reason}")
    return pii.normalise("national_id", value)


def birth_governorate(value: str) -> reference.Governorate | None:
    """The governorate of birth a valid national ID names (None when born abroad)."""
    return reference.governorate_by_nid_code(validate(value)[7:9])
