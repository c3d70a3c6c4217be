"""The audit trail's anchor: signed heads appended to a file outside the database.

One JSON line per committed audit transaction: the newest entry's id and hash, and an
HMAC-SHA256 of both under the audit key (``pii.audit_key``), so a line cannot be forged by
someone without the key file. Several processes append at once: each line is a single
``O_APPEND`` write, which the kernel does not interleave. The file is only ever appended to;
deployments make it append-only (``chattr +a``) or ship it to a log host (docs/security.md).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

from hotline import pii, settings


def path(override: str | Path | None = None) -> Path:
    """The anchor file: ``override``, else the ``audit_anchor_file`` setting."""
    return Path(override) if override else settings.get().audit_anchor_file


def _signature(entry_id: int, digest: str) -> str:
    message = f"shakwa audit head:{entry_id}:{digest}".encode()
    return hmac.new(pii.audit_key(), message, hashlib.sha256).hexdigest()


def append(entry_id: int, digest: str) -> None:
    """Anchor the chain's head: entry ``entry_id`` has hash ``digest``."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps({"id": entry_id, "hash": digest, "sig": _signature(entry_id, digest)}) + "\n"
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def read(override: str | Path | None = None) -> tuple[dict[int, str], str | None]:
    """The anchored heads as {entry id: hash}, and a problem (a forged or garbled line) or None.

    A missing file gives no heads; :func:`hotline.audit.verify` decides whether that is an error.
    A last line cut short (the process died while writing it) is left out.
    """
    source = path(override)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"cannot read the audit anchor {source}: {exc}"
    heads: dict[int, str] = {}
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            entry_id, digest, signature = int(item["id"]), str(item["hash"]), str(item["sig"])
        except (ValueError, KeyError, TypeError):
            if number == len(lines):  # no newline after it: a torn final write
                continue
            return {}, f"line {number} of the audit anchor {source} is garbled"
        if not hmac.compare_digest(signature, _signature(entry_id, digest)):
            return {}, (f"line {number} of the audit anchor {source} is not signed by the audit key: "
                        "forged")
        heads[entry_id] = digest
    return heads, None
