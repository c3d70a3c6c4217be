"""N worker processes sharing one loaded model, restarted when one dies, stopped gracefully.

A Vosk model is loaded (and its graph paged in) once in the parent, then the workers are forked:
they share its memory copy-on-write and each keeps its own recognizer. A Whisper model cannot be
forked (CTranslate2's threads stay in the parent): each worker loads its own before its first job. SIGTERM or SIGINT to the
parent is passed on as one SIGTERM to each worker: RQ's warm shutdown, so the job in hand
finishes (a second signal re-queues it) and then the worker exits.
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import time
from dataclasses import dataclass, field

from hotline import db, redis_conn, settings
from transcription import engine

log = logging.getLogger(__name__)

RESTART_DELAY = 1.0  # seconds before replacing a dead worker, so a crash loop does not spin


@dataclass
class Options:
    """How the pool runs: queues, how many workers, and RQ's timings."""

    queues: list[str] = field(default_factory=lambda: ["default"])
    concurrency: int = 1
    burst: bool = False  # each worker exits when the queues are empty
    heartbeat: int = 10  # seconds between a running job's heartbeats
    maintenance: int = 60  # seconds between registry clean-ups (abandoned jobs are found there)


class Pool:
    """The parent process: forks the workers, watches them, forwards stop signals."""

    def __init__(self, redis_url: str, options: Options, load_in_workers: tuple[str, ...] = ()):
        self.load_in_workers = load_in_workers  # engine kinds each worker loads after the fork
        self.redis_url = redis_url
        self.options = options
        self.children: dict[int, int] = {}  # pid -> worker index
        self.stopping = False

    def run(self) -> int:
        """Run until every worker has exited; returns the exit status."""
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        release_dead_schedulers(self.redis_url, self.options.queues)  # a pool killed before this one
        for index in range(self.options.concurrency):
            self._spawn(index)
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            index = self.children.pop(pid, None)
            if index is None:
                continue
            self._clear_group(pid)
            code = os.waitstatus_to_exitcode(status)
            if self.stopping or (self.options.burst and code == 0):
                log.info("worker %s (pid %s) stopped", index, pid)
                continue
            log.warning("worker %s (pid %s) died with status %s; starting another", index, pid, code)
            time.sleep(RESTART_DELAY)
            release_dead_schedulers(self.redis_url, self.options.queues)  # its scheduler is gone by now
            if not self.stopping:
                self._spawn(index)
        return 0

    def _stop(self, signum, _frame) -> None:
        if self.stopping:
            return
        self.stopping = True
        log.info("%s: stopping %d workers after their current job",
                 signal.Signals(signum).name, len(self.children))
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    @staticmethod
    def _clear_group(pid: int) -> None:
        # A worker killed outright leaves its RQ scheduler process behind, in its process group.
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def _spawn(self, index: int) -> None:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = self._work(index)
            except BaseException:
                log.exception("worker %s crashed", index)
            finally:
                os._exit(code)
        self.children[pid] = index
        log.info("worker %s started (pid %s)", index, pid)

    def _work(self, index: int) -> int:
        # Own process group: a terminal's Ctrl+C reaches the parent only, which sends one SIGTERM.
        os.setpgrp()
        _stop_with_parent()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        db.dispose()
        redis_conn.reset()
        engine.forget_unforkable()
        for kind in self.load_in_workers:
            engine.get(kind=kind)
        import redis
        from rq import Queue

        from transcription.worker import TranscriptionWorker

        connection = redis.Redis.from_url(self.redis_url)
        options = self.options
        worker = TranscriptionWorker(
            [Queue(name, connection=connection) for name in options.queues], connection=connection,
            job_monitoring_interval=options.heartbeat, maintenance_interval=options.maintenance,
            # An idle worker wakes every `maintenance` seconds to look for abandoned jobs.
            worker_ttl=options.maintenance + 15)
        worker.heartbeat_grace = 3 * options.heartbeat
        worker.work(burst=options.burst, with_scheduler=True,
                    logging_level=settings.get().log_level)
        return 0


def release_dead_schedulers(redis_url: str, queues: list[str]) -> list[str]:
    """Free the queues whose RQ scheduler lock is held by a dead scheduler process of this host.

    A worker killed outright leaves its scheduler's lock behind for a minute (RQ's interval + 60 s),
    and until it expires no scheduler moves retries and scheduled jobs back onto the queue: the
    job a killed worker was running would wait that minute for its retry. Returns the queues freed.
    """
    from rq.scheduler import SCHEDULER_KEY_TEMPLATE, SCHEDULER_LOCKING_KEY_TEMPLATE

    import redis

    freed = []
    host = socket.gethostname()
    connection = redis_conn.get(redis_url)  # the workers forget it after the fork
    try:
        for queue in queues:
            lock = SCHEDULER_LOCKING_KEY_TEMPLATE % queue
            with connection.pipeline() as pipe:
                pipe.watch(lock)
                owner = pipe.get(lock)
                if not owner:
                    continue
                holder = pipe.hgetall(SCHEDULER_KEY_TEMPLATE % owner.decode())
                pid = int(holder.get(b"pid", b"0") or 0)
                if holder.get(b"hostname", b"").decode() != host or not pid or _alive(pid):
                    continue
                pipe.multi()
                pipe.delete(lock)
                try:
                    pipe.execute()
                except redis.WatchError:  # another scheduler took it meanwhile: theirs
                    continue
            log.info("queue %s: released the lock of scheduler %s (pid %s, dead)", queue, owner.decode(), pid)
            freed.append(queue)
    except redis.RedisError as exc:  # RQ's own expiry frees it later
        log.warning("could not check the queues' scheduler locks: %s", exc)
    return freed


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (a zombie, killed but not yet reaped, is not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def _stop_with_parent() -> None:
    """Ask Linux for a SIGTERM when the parent dies (even by SIGKILL): no orphaned worker keeps
    running, unseen by the next pool; it finishes its job and exits (RQ's warm shutdown)."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the service manager stops the workers
        pass
