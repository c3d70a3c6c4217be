"""Background jobs: RQ on Redis when configured, the database and an in-process worker otherwise.

Jobs name their function by dotted path (``"transcription.jobs.transcribe"``), so the core
never imports a service. A job must be idempotent: it may run more than once.

Embedded mode keeps each job in the database (``hotline.job_store``) until it is done. A process
that lives for one call (classic AGI: :func:`enqueue_only`) only writes it there; processes that
run workers (console, demo, FastAGI server, ``run_ivr.py worker``) run their own jobs at once
and pick up the others with :func:`start_pickup`.
"""
from __future__ import annotations

import importlib
import logging
import queue
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from hotline import settings

log = logging.getLogger(__name__)

DEFAULT_QUEUE = "default"
RETRY_INTERVALS = (10, 60, 300)  # seconds between attempts after a failure
PICKUP_SECONDS = 2.0  # how often a worker process looks for jobs other processes queued
_runs_here = True  # False in a process that lives for one call: its jobs wait in the database


def enqueue_only() -> None:
    """This process only queues jobs (classic AGI lives for one call): each waits in the
    database for a process that runs workers."""
    global _runs_here
    _runs_here = False


def enqueue(func: str, *args: Any, job_id: str | None = None, queue_name: str = DEFAULT_QUEUE,
            retries: int = len(RETRY_INTERVALS), timeout: int = 600, **kwargs: Any) -> str:
    """Queue ``func(*args, **kwargs)``; returns the job id. The same job_id is not queued twice."""
    job_id = job_id or uuid.uuid4().hex
    url = settings.get().redis_url
    if url:
        _enqueue_rq(url, func, args, kwargs, job_id, queue_name, retries, timeout)
        return job_id
    from hotline import job_store

    job = _Job(job_id, func, args, kwargs, retries)
    job.durable = bool(job_store.store(job_id, func, args, kwargs, retries, queue_name))
    if _runs_here:
        _embedded().submit(job)
    elif not job.durable:
        log.error("job %s (%s) lost: the database cannot hold it and this process runs no worker",
                  job_id, func)
    return job_id


def _enqueue_rq(url, func, args, kwargs, job_id, queue_name, retries, timeout) -> None:
    from rq import Queue, Retry
    from rq.job import Job, JobStatus
    from rq.exceptions import NoSuchJobError

    from hotline import redis_conn

    connection = redis_conn.get(url)
    try:
        status = Job.fetch(job_id, connection=connection).get_status()
        if status in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
            return
    except NoSuchJobError:
        pass
    retry = Retry(max=retries, interval=list(RETRY_INTERVALS[:retries])) if retries else None
    Queue(queue_name, connection=connection).enqueue(
        func, *args, job_id=job_id, retry=retry, job_timeout=timeout, failure_ttl=30 * 86400,
        **kwargs)


def resolve(path: str):
    """The function named by a dotted path ``package.module.function``."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


@dataclass
class _Job:
    id: str
    func: str
    args: tuple
    kwargs: dict
    retries: int
    attempts: int = 0
    error: str | None = field(default=None)
    durable: bool = False  # kept in the database (claimed before it runs, deleted when done)


class EmbeddedWorker:
    """A daemon thread running queued jobs in order, with retries and back-off."""

    def __init__(self, retry_intervals: tuple[float, ...] = RETRY_INTERVALS):
        self.retry_intervals = retry_intervals
        self.failed: dict[str, _Job] = {}
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._stopped = threading.Event()
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="jobs", daemon=True)
        self._thread.start()

    def submit(self, job: _Job) -> None:
        with self._lock:
            if job.id in self._pending:
                return
            self._pending.add(job.id)
        self._queue.put(job)

    def stop(self) -> None:
        """Finish the job in hand, then drop the rest (retries scheduled later included)."""
        self._stopped.set()
        self._queue.put(None)

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None or self._stopped.is_set():
                self._queue.task_done()
                if self._stopped.is_set():
                    return
                continue
            from hotline import job_store

            try:
                if job.durable and not job_store.claim(job.id):
                    with self._lock:  # another process runs it, or it is done
                        self._pending.discard(job.id)
                    continue
                job.attempts += 1
                resolve(job.func)(*job.args, **job.kwargs)
                if job.durable:
                    job_store.done(job.id)
            except Exception as exc:
                job.error = f"{type(exc).__name__}: {exc}"
                if job.attempts <= job.retries:
                    delay = self.retry_intervals[min(job.attempts, len(self.retry_intervals)) - 1]
                    log.warning("job %s (%s) failed, retry in %ss: %s", job.id, job.func, delay, exc)
                    if job.durable:
                        job_store.retry_later(job.id, delay, job.error)
                    timer = threading.Timer(delay, self._queue.put, args=(job,))
                    timer.daemon = True
                    timer.start()
                    continue
                log.error("job %s (%s) failed for good: %s", job.id, job.func, exc)
                self.failed[job.id] = job
                if job.durable:
                    job_store.failed(job.id, job.error)
            finally:
                self._queue.task_done()
            with self._lock:
                self._pending.discard(job.id)

    def join(self) -> None:
        """Wait until the queue is empty (retries scheduled for later are not waited for)."""
        self._queue.join()


_worker: EmbeddedWorker | None = None
_worker_lock = threading.Lock()


def _embedded() -> EmbeddedWorker:
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = EmbeddedWorker()
        return _worker


def embedded_worker() -> EmbeddedWorker:
    """This process's in-process worker (embedded mode)."""
    return _embedded()


def pickup() -> int:
    """Hand this process's worker the jobs waiting in the database (queued by processes that run
    none, or left by one that died); how many."""
    from hotline import job_store

    rows = job_store.due()
    for row in rows:
        _embedded().submit(_Job(row.id, row.func, tuple(row.args), dict(row.kwargs), row.retries,
                                attempts=row.attempts, durable=True))
    return len(rows)


def start_pickup(stop: threading.Event | None = None) -> threading.Event | None:
    """In embedded mode, look for jobs other processes queued every few seconds (a process that
    runs workers calls this once); returns the loop's stop event."""
    if settings.get().redis_url:
        return None
    from hotline import periodic

    return periodic.start(PICKUP_SECONDS, pickup, "job pickup", stop)


def reset_embedded() -> None:
    """Stop this process's in-process worker; the next job starts a fresh one (tests)."""
    global _worker
    with _worker_lock:
        if _worker is not None:
            _worker.stop()
        _worker = None


def failed(queue_name: str = DEFAULT_QUEUE) -> list[dict[str, Any]]:
    """Jobs that failed for good (retries spent): ``{"id", "func", "args", "error"}`` each."""
    url = settings.get().redis_url
    if not url:
        from hotline import job_store

        rows = {row.id: {"id": row.id, "func": row.func, "args": list(row.args), "error": row.error}
                for row in job_store.failed_rows()}
        for job in list(_embedded().failed.values()):
            rows.setdefault(job.id, {"id": job.id, "func": job.func, "args": list(job.args),
                                     "error": job.error})
        return list(rows.values())
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    from hotline import redis_conn

    connection = redis_conn.get(url)
    ids = FailedJobRegistry(queue_name, connection=connection).get_job_ids()
    rows = []
    for job in Job.fetch_many(ids, connection=connection):
        if job is None:
            continue
        result = job.latest_result()
        lines = (result.exc_string or "").strip().splitlines() if result else []
        rows.append({"id": job.id, "func": job.func_name, "args": list(job.args),
                     "error": lines[-1] if lines else None})
    return rows


def requeue(job_id: str, queue_name: str = DEFAULT_QUEUE) -> bool:
    """Queue a failed job again once its cause is fixed; False when no such failed job."""
    url = settings.get().redis_url
    if not url:
        from hotline import job_store

        job = _embedded().failed.pop(job_id, None)
        stored = job_store.requeue(job_id)
        if job is None and not stored:
            return False
        if job is not None and not job.durable:
            job.attempts, job.error = 0, None
            _embedded().submit(job)
        elif _runs_here:
            pickup()
        return True
    from rq.exceptions import InvalidJobOperation, NoSuchJobError
    from rq.registry import FailedJobRegistry

    from hotline import redis_conn

    try:
        FailedJobRegistry(queue_name, connection=redis_conn.get(url)).requeue(job_id)
    except (InvalidJobOperation, NoSuchJobError):
        return False
    return True
