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

from hotline import db
from hotline.models import Recording, utcnow
from recordings import intake

log = logging.getLogger(__name__)

# A row still "spooled" this long after it was made was never handed to intake (a crash).
STALE_SPOOLED = timedelta(minutes=10)


@dataclass
class SweepReport:
    """What one sweep did, by recording id."""

    stored: list[int] = field(default_factory=list)
    still_pending: list[int] = field(default_factory=list)
    invalid: list[int] = field(default_factory=list)
    plaintext_removed: list[int] = field(default_factory=list)


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
    if report.still_pending:
        log.warning("recordings still pending after sweep: %s", report.still_pending)
    return report
