"""The RQ worker: runs jobs in its own process, where the Vosk model is already resident.

RQ's default worker forks a work-horse per job; a horse would have to load the model again (or
at least rebuild its recognizer's graph caches, seconds per job). ``SimpleWorker`` runs the job
in-process instead. What it loses is the horse's heartbeat, which tells the others a worker died
mid-job; a thread puts it back, so a killed worker's job is seen as abandoned within
``heartbeat + grace`` seconds and re-run by another worker (with RQ's retry and back-off).
"""
from __future__ import annotations

import logging
import threading

from rq import SimpleWorker
from rq.worker import WorkerStatus

log = logging.getLogger(__name__)


class TranscriptionWorker(SimpleWorker):
    """A SimpleWorker that keeps its running job's heartbeat alive from a side thread."""

    #: Seconds a job's heartbeat may be late before the job counts as abandoned.
    heartbeat_grace = 30

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        # Short: the side thread renews it every job_monitoring_interval while the job runs.
        return int(self.job_monitoring_interval + self.heartbeat_grace)

    def execute_job(self, job, queue):
        """Run the job in this process while a thread renews its heartbeat."""
        execution = self.prepare_execution(job)
        done = threading.Event()
        beat = threading.Thread(target=self._keep_alive, args=(job, execution, done),
                                name="heartbeat", daemon=True)
        beat.start()
        try:
            self.perform_job(job, queue, execution)
        finally:
            done.set()
            beat.join()
        self.set_state(WorkerStatus.IDLE)

    def _keep_alive(self, job, execution, done: threading.Event) -> None:
        while not done.wait(self.job_monitoring_interval):
            try:
                self.maintain_heartbeats(job, execution)
            except Exception as exc:  # Redis hiccup: the next beat tries again
                log.warning("heartbeat for job %s failed: %s", job.id, exc)
