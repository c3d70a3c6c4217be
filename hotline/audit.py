"""The audit trail: append-only and hash-chained, so an edited or deleted entry is detected.

Each entry's hash covers its own fields and the previous entry's hash; ``audit_head`` keeps the
newest hash so removing entries from the end is caught too. The database also refuses UPDATE
and DELETE on the table (triggers from the initial migration).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.models import AuditEntry, AuditHead, User, utcnow

GENESIS = "0" * 64


def _digest(entry: AuditEntry) -> str:
    body = {
        "prev": entry.prev_hash, "at": entry.at.isoformat(), "user_id": entry.user_id,
        "actor": entry.actor, "action": entry.action, "object_type": entry.object_type,
        "object_id": entry.object_id, "case_id": entry.case_id, "reason": entry.reason,
        "detail": entry.detail,
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def record(session: Session, action: str, *, actor: str | None = None, user: User | None = None,
           object_type: str | None = None, object_id: Any = None, case_id: int | None = None,
           reason: str | None = None, detail: dict | None = None) -> AuditEntry:
    """Append an entry (in the caller's transaction): who did ``action`` to what, and why."""
    head = session.get(AuditHead, 1, with_for_update=True)
    if head is None:
        head = AuditHead(id=1, last_id=0, last_hash=GENESIS)
        session.add(head)
    entry = AuditEntry(
        at=utcnow(), user_id=user.id if user else None,
        actor=actor or (user.username if user else "system"), action=action,
        object_type=object_type, object_id=None if object_id is None else str(object_id),
        case_id=case_id, reason=reason, detail=detail, prev_hash=head.last_hash)
    entry.hash = _digest(entry)
    session.add(entry)
    session.flush()
    head.last_id, head.last_hash = entry.id, entry.hash
    session.flush()
    return entry


@dataclass(frozen=True)
class Verification:
    """The result of checking the chain: ``ok``, how many entries, and the first broken one."""

    ok: bool
    checked: int
    broken_id: int | None = None
    problem: str | None = None


def verify(session: Session) -> Verification:
    """Walk the whole chain; report the first entry that was edited, removed or inserted."""
    previous, previous_id, count = GENESIS, 0, 0
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000))
    for entry in rows.scalars():
        count += 1
        if entry.prev_hash != previous:
            return Verification(False, count, entry.id,
                                f"entry {entry.id} does not follow entry {previous_id}: "
                                "an entry before it was removed or changed")
        if _digest(entry) != entry.hash:
            return Verification(False, count, entry.id, f"entry {entry.id} was edited")
        previous, previous_id = entry.hash, entry.id
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_hash != previous or head.last_id != previous_id):
        return Verification(False, count, head.last_id,
                            f"the newest entries after {previous_id} were removed "
                            f"(the chain's head is entry {head.last_id})")
    return Verification(True, count)
