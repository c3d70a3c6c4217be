"""No take outlives its call in plaintext: superseded takes go at once, orphans at the sweep."""
from __future__ import annotations

import os
import time

from recording_helpers import new_case, spooled
from hotline import db, journal, settings
from recordings import sweeper


def _take(name: str, age_hours: float):
    spool = settings.get().spool_dir
    spool.mkdir(parents=True, exist_ok=True)
    path = spool / name
    path.write_bytes(b"RIFF" + b"\0" * 100)
    past = time.time() - age_hours * 3600
    os.utime(path, (past, past))
    return path


def test_sweep_removes_orphaned_takes_and_keeps_what_is_still_needed(db_url, identity):
    orphan = _take("1795879000.7-1.wav", 2)
    recent = _take("1795879000.8-1.wav", 0)  # its call may still be going on
    journaled = _take("1795879000.9-2.wav", 5)  # a complaint journaled during an outage
    journal.append("call", "1795879000.9", {"pending_complaint": {"spooled": str(journaled)}})
    named = _take("invalid-audio.wav", 5)  # refused as not audio: kept for a person to look at
    with db.session_scope() as session:
        spooled(session, named, "wav", case=new_case(session))
    report = sweeper.sweep()
    assert report.orphan_takes_removed == [orphan.name]
    assert not orphan.exists() and recent.exists() and journaled.exists()
