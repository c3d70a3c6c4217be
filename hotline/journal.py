"""A local, append-only spool for what a service could not write to the database, replayed later.

Each entry is one JSON line in a file of its own under ``<var_dir>/journal/``: written to a
temporary name, fsync'd, renamed into place and the folder fsync'd, so a crash leaves either a
whole entry or none, and writers on one host never share a file. :func:`replay` hands entries
oldest first to the handler registered for their ``kind`` (a service registers its own; the core
knows none) and removes each one only after its handler committed. Handlers must be idempotent
(keyed, e.g. by a call's uniqueid): an entry may be replayed twice after a crash.
"""
from __future__ import annotations

import fcntl
import itertools
import json
import logging
import os
import time
from pathlib import Path
from typing import Any, Callable

from sqlalchemy.exc import InterfaceError, OperationalError

from hotline import durable, settings

log = logging.getLogger(__name__)
DATABASE_DOWN = (OperationalError, InterfaceError)  # the errors that mean "try again later"
Handler = Callable[[dict[str, Any]], None]
_seq = itertools.count()


def folder() -> Path:
    """Where the journal lives (``<var_dir>/journal``)."""
    return settings.get().var_dir / "journal"


def append(kind: str, key: str, data: dict[str, Any]) -> Path:
    """Write one entry durably; returns its file."""
    where = folder()
    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{time.time_ns():020d}-{os.getpid()}-{next(_seq):06d}"
    line = json.dumps({"kind": kind, "key": key, "at": time.time(), "data": data},
                      ensure_ascii=False, separators=(",", ":")) + "\n"
    temporary, final = where / f".{name}.tmp", where / f"{name}.jsonl"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(temporary, final)
    durable.fsync_dir(where)
    log.warning("journaled %s %s in %s", kind, key, final.name)
    return final


def entries() -> list[Path]:
    """The entries not yet replayed, oldest first."""
    where = folder()
    return sorted(where.glob("*.jsonl")) if where.is_dir() else []


def replay(handlers: dict[str, Handler]) -> int:
    """Apply the entries oldest first; stop at the first database outage. Returns how many applied.

    One replayer at a time per host (a lock file); a second caller returns 0 at once. An entry
    whose handler fails for another reason is moved to ``failed/`` and logged, not retried forever.
    """
    where = folder()
    if not where.is_dir():
        return 0
    with open(where / ".replay.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0
        applied = 0
        for path in entries():
            entry = json.loads(path.read_text("utf-8"))
            handler = handlers.get(entry["kind"])
            if handler is None:
                continue  # another service's entry: its own replayer applies it
            try:
                handler(entry["data"])
            except DATABASE_DOWN as exc:
                log.warning("journal replay paused, database unavailable: %s", exc)
                break
            except Exception:
                log.exception("journal entry %s cannot be applied; moved to failed/", path.name)
                (where / "failed").mkdir(exist_ok=True, mode=0o700)
                path.rename(where / "failed" / path.name)
                continue
            path.unlink()
            applied += 1
        if applied:
            durable.fsync_dir(where)
            log.warning("journal: replayed %d entries", applied)
        return applied


