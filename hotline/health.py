"""Health probes and operating figures, for ``/healthz``, ``/metrics`` and the console's banner.

Each probe answers quickly and never raises: a failure is a result (``ok`` False and the reason).
Nothing here names a case or a person; figures are counts.
"""
from __future__ import annotations

import os
import threading
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, text

from hotline import db, journal, jobs, settings
from hotline.models import Call, Recording, Transcript, utcnow

RQ_QUEUE_KEY = "rq:queue:{}"  # RQ's own key names: the depth is read without importing rq
RQ_FAILED_KEY = "rq:failed:{}"
LIVE_CALL_HOURS = 4  # an unended call older than this was lost by a crashed process, not live
PENDING_RECORDINGS = ("spooled", "pending")


def database() -> dict[str, Any]:
    """Whether the database answers a trivial query."""
    try:
        with db.engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


def redis() -> dict[str, Any]:
    """Whether Redis answers PING (embedded mode has none and is fine without)."""
    url = settings.get().redis_url
    if not url:
        return {"ok": True, "mode": "embedded"}
    from hotline import redis_conn

    try:
        redis_conn.get(url).ping()
        return {"ok": True, "mode": "redis"}
    except Exception as exc:
        return {"ok": False, "mode": "redis", "error": type(exc).__name__}


def vault() -> dict[str, Any]:
    """Whether recordings can be stored: a writable vault folder and someone to encrypt to."""
    conf = settings.get()
    folder = conf.recordings_dir
    writable = os.access(folder if folder.exists() else folder.parent, os.W_OK)
    # Embedded mode makes its own identity on first use (recordings.intake.check_ready).
    recipients = bool(conf.age_recipients) or conf.embedded
    problem = None if writable else "vault folder not writable"
    problem = problem or (None if recipients else "no age recipient configured")
    return {"ok": problem is None, **({"error": problem} if problem else {})}


def figures() -> dict[str, int]:
    """Counts for metrics: calls, recordings waiting, transcription backlog, queue and failures."""
    out = {"calls_total": 0, "calls_in_progress": 0, "recordings_pending": 0,
           "transcription_backlog": 0, "journal_entries": len(journal.entries())}
    since = utcnow() - timedelta(hours=LIVE_CALL_HOURS)
    with db.session_scope() as session:
        out["calls_total"] = session.scalar(select(func.count()).select_from(Call)) or 0
        out["calls_in_progress"] = session.scalar(select(func.count()).select_from(Call).where(
            Call.ended_at.is_(None), Call.started_at >= since)) or 0
        out["recordings_pending"] = session.scalar(select(func.count()).select_from(Recording).where(
            Recording.status.in_(PENDING_RECORDINGS))) or 0
        out["transcription_backlog"] = session.scalar(
            select(func.count()).select_from(Recording).outerjoin(Transcript)
            .where(Transcript.id.is_(None), Recording.purged_at.is_(None))) or 0
    out.update(queue())
    return out


def queue() -> dict[str, int]:
    """Jobs waiting and jobs failed for good (RQ on Redis, or this process's embedded worker)."""
    conf = settings.get()
    if conf.embedded:
        worker = jobs._worker  # noqa: SLF001 - only read; None until a job was queued
        if worker is None:
            return {"queue_depth": 0, "job_failures": 0}
        return {"queue_depth": worker._queue.qsize(), "job_failures": len(worker.failed)}  # noqa: SLF001
    from hotline import redis_conn

    client = redis_conn.get(conf.redis_url)
    try:
        return {"queue_depth": client.llen(RQ_QUEUE_KEY.format(jobs.DEFAULT_QUEUE)),
                "job_failures": client.zcard(RQ_FAILED_KEY.format(jobs.DEFAULT_QUEUE))}
    except Exception:
        return {"queue_depth": -1, "job_failures": -1}  # unknown while Redis is down


def check() -> tuple[bool, dict[str, Any]]:
    """Every probe; healthy when the database, Redis (if configured) and the vault are."""
    result: dict[str, Any] = {"database": database(), "redis": redis(), "vault": vault()}
    if result["database"]["ok"]:
        try:
            counts = figures()
            result["transcription"] = {"ok": True, "backlog": counts["transcription_backlog"],
                                       "queue_depth": counts["queue_depth"]}
        except Exception as exc:
            result["transcription"] = {"ok": False, "error": type(exc).__name__}
    healthy = all(result[name]["ok"] for name in ("database", "redis", "vault"))
    return healthy, {"status": "ok" if healthy else "unavailable", "checks": result}


class Cached:
    """A probe's last answer, kept ``seconds`` so every page can show it without asking each time."""

    def __init__(self, probe, seconds: float = 5.0):
        self.probe, self.seconds = probe, seconds
        self._value, self._at = None, 0.0
        self._lock = threading.Lock()

    def get(self):
        with self._lock:
            if time.monotonic() - self._at > self.seconds:
                self._value, self._at = self.probe(), time.monotonic()
            return self._value
