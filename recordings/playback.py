"""Playback: a recording decrypted in memory (never written in plaintext) and HTTP byte ranges.

A byte range is served from the chunks that hold it (``vault.open_reader``), so a seek into a
long recording costs a few 64 KiB chunks, not the whole file; the whole file is checked against
its SHA-256 when it is asked for whole (:func:`load`, ``vault.read_checked``).
"""
from __future__ import annotations

import logging
import re
from typing import Iterator

from sqlalchemy.orm import Session

from hotline.errors import HotlineError, NotFound
from hotline.models import Recording
from recordings import agefile, vault

log = logging.getLogger(__name__)

_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class RangeNotSatisfiable(HotlineError):
    """The Range header asks for bytes the file does not have (HTTP 416)."""

    def __init__(self, total: int, header: str):
        super().__init__(f"range {header!r} not satisfiable for {total} bytes")
        self.total = total


def stored(session: Session, recording_id: int) -> Recording:
    """The recording's row, when its audio is in the vault; NotFound otherwise."""
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise NotFound(f"التسجيل غير موجود — no recording {recording_id}")
    if recording.status != "stored" or not recording.vault_path:
        raise NotFound(f"التسجيل {recording_id} غير متاح — recording {recording_id} is "
                       f"{recording.status}, not in the vault")
    return recording


def load(session: Session, recording_id: int) -> bytes:
    """The decrypted canonical WAV of a recording; NotFound, or IntegrityError when tampered."""
    recording = stored(session, recording_id)
    return vault.open_bytes(recording.vault_path, recording.sha256)


def open_audio(session: Session, recording_id: int) -> agefile.AgeReader:
    """Random access to a recording's WAV (close it, or let :func:`stream` do so)."""
    recording = stored(session, recording_id)
    return vault.open_reader(recording.vault_path, recording.sha256, recording.size,
                             recording.header_sha256)


def stream(reader: agefile.AgeReader, start: int, end: int) -> Iterator[bytes]:
    """Bytes ``start``..``end`` (inclusive) of an open recording, then close it.

    The first chunk is decrypted before this returns, so a damaged file where the range begins
    is refused (``vault.IntegrityError``) before any response is sent. A chunk found damaged
    later ends the body early: the client sees fewer bytes than Content-Length announced.
    """
    if end < start:
        reader.close()
        return iter(())
    chunks = reader.iter_range(start, end)
    try:
        first = next(chunks)
    except agefile.Damaged as exc:
        reader.close()
        raise vault.IntegrityError(f"recording chunk refused: {exc}") from None
    return _rest(reader, first, chunks)


def _rest(reader: agefile.AgeReader, first: bytes, chunks: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield first
        yield from chunks
    except agefile.Damaged as exc:
        log.error("recording stream stopped: %s", exc)
    finally:
        reader.close()


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
