"""One loop for housekeeping that a long-lived process repeats (journal replay, WhatsApp sweep)."""
from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


def every(seconds: float, stop: threading.Event, task: Callable[[], object], what: str) -> None:
    """Run ``task`` now and every ``seconds`` until ``stop`` is set; a failure waits its turn."""
    while True:
        try:
            task()
        except Exception:
            log.exception("%s failed", what)
        if stop.wait(seconds):
            return


def start(seconds: float, task: Callable[[], object], what: str,
          stop: threading.Event | None = None) -> threading.Event:
    """:func:`every` on a daemon thread (a greenlet under gevent); set ``stop`` (made when not
    given, and returned) to end it."""
    stop = stop or threading.Event()
    threading.Thread(target=every, args=(seconds, stop, task, what), name=what, daemon=True).start()
    return stop
