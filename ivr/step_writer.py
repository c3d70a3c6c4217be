"""One writer per IVR process for every call's steps: a transaction per batch, not per key.

A call notes its steps and hands them over the moment its next command is on its way to
Asterisk (``CallContext.flush_steps``); this thread commits what every call handed over in the
last few milliseconds together. A thousand paced calls make a hundred steps a second: one
transaction each would keep a database connection and a commit per key, all of them in the
path of the caller's next prompt (bench/fastagi_load.py --paced). A call's end waits for its own
steps (:meth:`StepWriter.wait`), so the row's end never comes before them.

With the database down, the calls in the batch go offline and keep their steps for the journal,
exactly as a call's own write would (``CallContext.write``).
"""
from __future__ import annotations

import logging
import queue
import threading
from datetime import datetime

from hotline import db, events, journal
from hotline.models import CallStep

log = logging.getLogger(__name__)
BATCH_SECONDS = 0.02  # how long a batch collects after its first step


class StepWriter:
    """The process's step writer thread (started on first use)."""

    def __init__(self, batch_seconds: float = BATCH_SECONDS):
        self.batch_seconds = batch_seconds
        self._queue: queue.Queue = queue.Queue()
        self._pending: dict[int, int] = {}  # id(call) -> batches handed over, not yet written
        self._written = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="ivr-steps", daemon=True)
        self._thread.start()

    def submit(self, call, steps: list[dict]) -> None:
        """Hand over a call's steps (never blocks)."""
        with self._written:
            self._pending[id(call)] = self._pending.get(id(call), 0) + 1
        self._queue.put((call, steps))

    def wait(self, call, timeout: float = 60) -> None:
        """Until every step ``call`` handed over is written (or journaled)."""
        with self._written:
            self._written.wait_for(lambda: not self._pending.get(id(call)), timeout)

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            threading.Event().wait(self.batch_seconds)
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write(batch)
            except Exception:
                log.exception("steps of %d calls not written", len(batch))
                for call, steps in batch:
                    call.unsaved.extend(steps)
            finally:
                with self._written:
                    for call, _steps in batch:
                        left = self._pending.get(id(call), 1) - 1
                        if left:
                            self._pending[id(call)] = left
                        else:
                            self._pending.pop(id(call), None)
                    self._written.notify_all()

    def _write(self, batch: list) -> None:
        online = []
        for call, steps in batch:
            if call.offline or call.call_id is None:
                call.unsaved.extend(steps)
            else:
                online.append((call, steps))
        if not online:
            return
        try:
            with db.session_scope() as session:
                for call, steps in online:
                    for step in steps:
                        session.add(CallStep(call_id=call.call_id, seq=step["seq"], step=step["step"],
                                             prompt=step["prompt"], input=step["input"],
                                             result=step["result"], at=datetime.fromisoformat(step["at"])))
                        events.publish_after_commit(session, events.Event(
                            "call.step", call_id=call.call_id, case_id=call.complaint.case_id,
                            payload={key: step[key] for key in ("seq", "step", "prompt", "input", "result")}))
        except journal.DATABASE_DOWN as exc:
            log.warning("database unavailable: steps of %d calls kept for the journal: %s", len(online), exc)
            for call, steps in online:
                call.offline = True
                call.unsaved.extend(steps)


_writer: StepWriter | None = None
_lock = threading.Lock()


def writer() -> StepWriter:
    """This process's step writer."""
    global _writer
    with _lock:
        if _writer is None or not _writer._thread.is_alive():
            _writer = StepWriter()
        return _writer
