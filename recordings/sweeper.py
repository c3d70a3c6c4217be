"""The sweeper: retries recordings whose encryption failed and removes leftover plaintext.

Run by ``run_ivr.py purge --sweep`` or as a job (``hotline.jobs.enqueue("recordings.sweeper.sweep")``).
Each recording is its own transaction, so one bad file does not hold back the others.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import or_, select

from hotline import db, journal, settings
from hotline.models import Recording, utcnow
from recordings import intake

log = logging.getLogger(__name__)

# A row still "spooled" this long after it was made was never handed to intake (a crash).
STALE_SPOOLED = timedelta(minutes=10)
# A take in the spool that no recording row and no journal entry names, this old, belongs to a
# call that is over (a crash between RECORD FILE and the save): it is removed, never kept in clear.
STALE_TAKE = timedelta(hours=1)
TAKE_SUFFIXES = {".wav", ".WAV", ".gsm", ".sln", ".ulaw", ".alaw"}


@dataclass
class SweepReport:
    """What one sweep did, by recording id."""

    stored: list[int] = field(default_factory=list)
    still_pending: list[int] = field(default_factory=list)
    invalid: list[int] = field(default_factory=list)
    plaintext_removed: list[int] = field(default_factory=list)
    orphan_takes_removed: list[str] = field(default_factory=list)


def sweep() -> SweepReport:
    """Retry every pending (or stale spooled) recording; delete plaintext of stored ones."""
    report = SweepReport()
    with db.session_scope() as session:
        stale = utcnow() - STALE_SPOOLED
        ids = session.scalars(select(Recording.id).where(or_(
            Recording.status == "pending",
            (Recording.status == "spooled") & (Recording.created_at < stale),
        )).order_by(Recording.id)).all()
        leftovers = session.execute(select(Recording.id, Recording.spool_path).where(
            Recording.status.in_(("stored", "purged")), Recording.spool_path.is_not(None))).all()
    for recording_id in ids:
        with db.session_scope() as session:
            recording = session.get(Recording, recording_id, with_for_update=True)
            if recording is None or recording.status not in ("pending", "spooled"):
                continue
            intake.accept(session, recording)
            status = recording.status
        {"stored": report.stored, "invalid": report.invalid}.get(
            status, report.still_pending).append(recording_id)
    for recording_id, spool_path in leftovers:
        path = Path(spool_path)
        if path.is_file():
            path.unlink()
            report.plaintext_removed.append(recording_id)
    report.orphan_takes_removed = _remove_orphan_takes()
    if report.still_pending:
        log.warning("recordings still pending after sweep: %s", report.still_pending)
    return report


def _remove_orphan_takes() -> list[str]:
    """Delete spooled takes of ended calls that nothing will ever encrypt; their names."""
    spool = settings.get().spool_dir
    if not spool.is_dir():
        return []
    with db.session_scope() as session:
        named = {Path(p).name for p in session.scalars(
            select(Recording.spool_path).where(Recording.spool_path.is_not(None)))}
    for entry in journal.entries():  # a complaint journaled during an outage keeps its take
        try:
            named |= {Path(p).name for p in _paths_in(entry.read_text())}
        except OSError:
            continue
    cutoff = (utcnow() - STALE_TAKE).timestamp()
    removed = []
    for path in spool.iterdir():
        if path.suffix not in TAKE_SUFFIXES or path.name in named or not path.is_file():
            continue
        if path.stat().st_mtime < cutoff:
            path.unlink()
            removed.append(path.name)
    if removed:
        log.warning("removed %d orphaned takes from the spool: %s", len(removed), removed)
    return removed


def _paths_in(text: str) -> list[str]:
    """Every string in a journal entry that names a spool file."""
    import json

    found = []

    def walk(value) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and Path(value).suffix in TAKE_SUFFIXES:
            found.append(value)

    for line in text.splitlines():
        walk(json.loads(line))
    return found
