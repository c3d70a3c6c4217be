"""age keys: recipients from settings, identity files, and recipient fingerprints.

IVR hosts hold only recipients (public keys); the identity (private key) lives on playback and
rotation hosts. In embedded mode with no recipient configured, one identity is made locally.
"""
from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone
from pathlib import Path

import pyrage

from hotline import settings
from hotline.errors import SettingsError

_NO_RECIPIENT = ("لا يوجد مفتاح تشفير عام (age recipient) للتسجيلات — "
                 "no age recipient configured for recordings: set age_recipients "
                 "(run 'run_ivr.py keys generate' to make a key pair)")


def fingerprint(recipient: str) -> str:
    """A short, stable name for a recipient, kept in each Recording row."""
    return hashlib.sha256(recipient.strip().encode()).hexdigest()[:16]


def keyset_id(recipients: list[str]) -> str:
    """Eight hex digits naming a set of recipients (part of a vault file's name)."""
    joined = ",".join(sorted(fingerprint(r) for r in recipients))
    return hashlib.sha256(joined.encode()).hexdigest()[:8]


def parse_recipients(recipients: list[str] | tuple[str, ...], where: str = "age_recipients"
                     ) -> list[pyrage.x25519.Recipient]:
    """pyrage recipients for ``recipients``; a bad one is a SettingsError naming it."""
    parsed = []
    for text in recipients:
        try:
            parsed.append(pyrage.x25519.Recipient.from_str(text.strip()))
        except pyrage.RecipientError as exc:
            raise SettingsError(f"{where}: not a valid age X25519 recipient {text!r} ({exc})") from None
    return parsed


def configured_recipients() -> list[str]:
    """The recipients every vault file is encrypted to (embedded mode: the local key's)."""
    conf = settings.get()
    if conf.age_recipients:
        parse_recipients(conf.age_recipients)
        return list(conf.age_recipients)
    if not conf.embedded:
        raise SettingsError(_NO_RECIPIENT)
    path = conf.age_identity_file
    if not path.exists():
        return [write_identity(path)]
    return [str(identity.to_public()) for identity in read_identities(path)][:1]


def read_identities(path: Path | None = None) -> list[pyrage.x25519.Identity]:
    """The identities (private keys) in an age identity file, as age-keygen writes it."""
    path = path or settings.get().age_identity_file
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        raise SettingsError(f"age_identity_file: no such identity file: {path} "
                            "(this host cannot decrypt recordings)") from None
    except OSError as exc:
        raise SettingsError(f"age_identity_file: cannot read {path}: {exc.strerror}") from None
    identities = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise SettingsError(f"age_identity_file: {path} line {number} is not an age identity") from None
    if not identities:
        raise SettingsError(f"age_identity_file: {path} holds no age identity")
    return identities


def write_identity(path: Path) -> str:
    """Write a new identity to ``path`` (mode 0600, never over an existing file); returns its recipient."""
    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SettingsError(f"{path} already exists; refusing to overwrite a private key") from None
    with os.fdopen(fd, "w") as handle:
        # The same layout as age-keygen, so the file works with `age -d -i`.
        handle.write(f"# created: {created}\n# public key: {recipient}\n{identity}\n")
        handle.flush()
        os.fsync(handle.fileno())
    return recipient
