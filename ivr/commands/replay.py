"""``run_ivr.py replay``: apply the calls journaled during a database outage, once or every N seconds.

A FastAGI server replays its host's journal by itself (at start-up and every 30 s). A host that
answers calls with process-mode AGI only has no long-lived IVR process: run this from a timer
(docs/operations.md) or as a service with ``--every``. Replay is idempotent by the call's
uniqueid and one replayer at a time holds a host's journal, so both may run side by side.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--every", type=float, metavar="SECONDS",
                        help="replay again every SECONDS until SIGTERM or Ctrl-C (default: once, "
                             "exit status 1 while the database is unavailable)")


def run(args: argparse.Namespace) -> int:
    from hotline import logs, periodic, settings
    from hotline.errors import UsageError
    from ivr import replay

    if args.every is not None and not args.every > 0:
        raise UsageError(f"--every must be a positive number of seconds, got {args.every}")
    logs.setup(settings.get())
    if args.every is None:
        return _once()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(f"replay: every {args.every:g} s until SIGTERM", flush=True)
    periodic.every(args.every, stop, replay.run, "journal replay")
    return 0


def _once() -> int:
    from hotline import health, journal
    from ivr import replay

    applied = replay.run()
    left = len(journal.entries())
    print(f"replay: {applied} journaled calls applied, {left} waiting", flush=True)
    if left and not health.database()["ok"]:
        print("run_ivr.py replay: error: database unavailable; the journal waits for the next run",
              file=sys.stderr)
        return 1
    return 0
