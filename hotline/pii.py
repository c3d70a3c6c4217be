"""Personal data at rest: AES-GCM encryption, keyed look-up hashes, and masking.

National IDs and phone numbers are stored as ``version | nonce | ciphertext`` with the field
name as associated data (a value cannot be moved to another column), plus an HMAC-SHA256 of
the normalised value for exact look-ups. Both keys, and the audit chain's HMAC key, are derived
from one master key file.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hotline import keyfiles, settings

_VERSION = b"\x01"
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@cache
def _keys(key_file: str) -> tuple[bytes, bytes, bytes]:
    master = keyfiles.read_or_create(Path(key_file), setting="pii_key_file")

    def derive(label: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(master)

    return (derive(b"shakwa pii encryption v1"), derive(b"shakwa pii lookup v1"),
            derive(b"shakwa audit chain v1"))


def ensure_key() -> None:
    """Load the master key now (making it in embedded mode), not in the middle of a call."""
    _keys(str(settings.get().pii_key_file))


def _encryption_key() -> bytes:
    return _keys(str(settings.get().pii_key_file))[0]


def _lookup_key() -> bytes:
    return _keys(str(settings.get().pii_key_file))[1]


def audit_key() -> bytes:
    """The audit chain's HMAC key: derived from the master key file, never in the database."""
    return _keys(str(settings.get().pii_key_file))[2]


def normalise(field: str, value: str) -> str:
    """The canonical form of a value: national IDs and phones as digits (phones in local Egyptian
    form), other fields with surrounding white space removed."""
    if field not in ("phone", "national_id"):
        return value.strip()
    digits = re.sub(r"\D", "", value.translate(ARABIC_DIGITS))
    if field == "phone":
        if digits.startswith("0020"):
            digits = "0" + digits[4:]
        elif digits.startswith("20") and len(digits) == 12:
            digits = "0" + digits[2:]
    return digits


def encrypt(field: str, value: str) -> bytes:
    """Encrypt a normalised value for the column named ``field``."""
    nonce = os.urandom(12)
    sealed = AESGCM(_encryption_key()).encrypt(nonce, value.encode(), field.encode())
    return _VERSION + nonce + sealed


def decrypt(field: str, blob: bytes) -> str:
    """Decrypt a value written by :func:`encrypt` for the same field."""
    if not blob or blob[:1] != _VERSION:
        raise ValueError(f"{field}: unknown encryption format")
    return AESGCM(_encryption_key()).decrypt(blob[1:13], blob[13:], field.encode()).decode()


def lookup_hash(field: str, value: str) -> str:
    """Keyed hash of the normalised value, for finding a record without decrypting every row."""
    message = f"{field}:{normalise(field, value)}".encode()
    return hmac.new(_lookup_key(), message, hashlib.sha256).hexdigest()


def mask_phone(phone: str | None) -> str:
    """``01012345678`` → ``010****5678``: operator prefix and last four digits stay."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_national_id(national_id: str | None) -> str:
    """``29001011234567`` → ``2*********4567``: century digit and last four digits stay."""
    if not national_id:
        return ""
    if len(national_id) <= 5:
        return "*" * len(national_id)
    return national_id[0] + "*" * (len(national_id) - 5) + national_id[-4:]
