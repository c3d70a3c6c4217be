"""Playback: a recording decrypted in memory (never written in plaintext) and HTTP byte ranges."""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from hotline.errors import HotlineError, NotFound
from hotline.models import Recording
from recordings import vault

_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class RangeNotSatisfiable(HotlineError):
    """The Range header asks for bytes the file does not have (HTTP 416)."""

    def __init__(self, total: int, header: str):
        super().__init__(f"range {header!r} not satisfiable for {total} bytes")
        self.total = total


def load(session: Session, recording_id: int) -> bytes:
    """The decrypted canonical WAV of a recording; NotFound, or IntegrityError when tampered."""
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise NotFound(f"التسجيل غير موجود — no recording {recording_id}")
    if recording.status != "stored" or not recording.vault_path:
        raise NotFound(f"التسجيل {recording_id} غير متاح — recording {recording_id} is "
                       f"{recording.status}, not in the vault")
    return vault.open_bytes(recording.vault_path, recording.sha256)


def byte_range(total_size: int, range_header: str | None) -> tuple[int, int] | None:
    """(start, end inclusive) for a single-range ``Range`` header; None means the whole file."""
    if not range_header:
        return None
    match = _RANGE.match(range_header)
    if not match:
        # Multiple ranges, other units or a malformed header: RFC 9110 lets us send it all.
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0 or total_size == 0:
            raise RangeNotSatisfiable(total_size, range_header)
        return max(total_size - length, 0), total_size - 1
    start = int(first)
    end = int(last) if last else total_size - 1
    if start >= total_size or end < start:
        raise RangeNotSatisfiable(total_size, range_header)
    return start, min(end, total_size - 1)
