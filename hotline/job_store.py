"""Embedded-mode jobs in the database: written when queued, claimed before each run, deleted when done.

A job outlives the process that queued it (a classic-AGI process lives for one call), and a job
whose process died is taken again once its claim is stale. Every change is its own short
transaction, so a job is never written inside the caller's (SQLite allows one writer at a time).
With the database unreachable (an outage, or a database not yet initialised) these calls say so
and the job runs from memory only, as before.
"""
from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from hotline import db
from hotline.models import JobRow, utcnow

log = logging.getLogger(__name__)
# A running job whose process has not finished it in this long is taken as abandoned.
STALE_CLAIM = timedelta(minutes=15)
ME = f"{socket.gethostname()}:{os.getpid()}"


def store(job_id: str, func: str, args: tuple, kwargs: dict, retries: int, queue: str) -> bool | None:
    """Write a queued job (not twice); True when it is in the database, None when the database
    cannot hold it now."""
    try:
        with db.session_scope() as session:
            if session.get(JobRow, job_id) is None:
                session.add(JobRow(id=job_id, func=func, args=list(args), kwargs=dict(kwargs),
                                   queue=queue, retries=retries))
        return True
    except SQLAlchemyError as exc:
        log.warning("job %s kept in memory only (database: %s)", job_id, str(exc).splitlines()[0])
        return None


def claim(job_id: str) -> bool:
    """Take a queued (or abandoned) job for this process; False when another has it or it is gone."""
    now = utcnow()
    try:
        with db.session_scope() as session:
            taken = session.execute(
                update(JobRow).where(JobRow.id == job_id, or_(
                    JobRow.state == "queued",
                    (JobRow.state == "running") & (JobRow.claimed_at < now - STALE_CLAIM)))
                .values(state="running", claimed_by=ME, claimed_at=now,
                        attempts=JobRow.attempts + 1)).rowcount
        return taken == 1
    except SQLAlchemyError as exc:
        log.warning("job %s not claimed (database: %s); running it from memory", job_id,
                    str(exc).splitlines()[0])
        return True


def done(job_id: str) -> None:
    _write(delete(JobRow).where(JobRow.id == job_id), job_id)


def retry_later(job_id: str, seconds: float, error: str) -> None:
    _write(update(JobRow).where(JobRow.id == job_id).values(
        state="queued", claimed_by=None, claimed_at=None, error=error,
        not_before=utcnow() + timedelta(seconds=seconds)), job_id)


def failed(job_id: str, error: str) -> None:
    _write(update(JobRow).where(JobRow.id == job_id).values(state="failed", error=error,
                                                           claimed_by=None), job_id)


def requeue(job_id: str) -> bool:
    """A failed job queued again (its attempts start over); False when there is no such job."""
    try:
        with db.session_scope() as session:
            return session.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == "failed")
                                   .values(state="queued", attempts=0, error=None,
                                           not_before=utcnow())).rowcount == 1
    except SQLAlchemyError:
        return False


def due(limit: int = 100) -> list[JobRow]:
    """Jobs waiting for a worker now: queued and due, or claimed by a process that died."""
    now = utcnow()
    try:
        with db.session_scope() as session:
            rows = session.scalars(select(JobRow).where(or_(
                (JobRow.state == "queued") & (JobRow.not_before <= now),
                (JobRow.state == "running") & (JobRow.claimed_at < now - STALE_CLAIM)))
                .order_by(JobRow.created_at).limit(limit)).all()
            session.expunge_all()
            return list(rows)
    except SQLAlchemyError:
        return []


def failed_rows() -> list[JobRow]:
    try:
        with db.session_scope() as session:
            rows = session.scalars(select(JobRow).where(JobRow.state == "failed")
                                   .order_by(JobRow.created_at)).all()
            session.expunge_all()
            return list(rows)
    except SQLAlchemyError:
        return []


def _write(statement, job_id: str) -> None:
    try:
        with db.session_scope() as session:
            session.execute(statement)
    except SQLAlchemyError as exc:
        log.warning("job %s: state not saved (database: %s)", job_id, str(exc).splitlines()[0])
