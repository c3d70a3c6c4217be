"""The audit trail: append-only, chained by a keyed HMAC, its head anchored outside the database.

Each entry's HMAC-SHA256 covers its own fields and the previous entry's hash, under a key
derived from the PII master key file (``pii.audit_key``): someone who can write the database
but does not hold that file cannot recompute the chain after an edit. After every commit the
newest entry's id and hash, signed with the same key, are appended to ``audit_anchor_file``
(make it append-only, or ship it to a log host): deleting the newest entries together with
``audit_head`` no longer passes :func:`verify`, and neither does a missing anchor. The
database also refuses UPDATE and DELETE on the table (triggers from the initial migration).

Details and reasons are stored with identity patterns masked (``hotline.redaction.scrub``): a
CSV export's filters or a reason typed with a national ID never put it in the trail.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event as sa_event, select
from sqlalchemy.orm import Session

from hotline import anchor, pii, redaction
from hotline.models import AuditEntry, AuditHead, User, utcnow

log = logging.getLogger(__name__)
GENESIS = "0" * 64
KEYED = "hmac1"
_PENDING = "audit_anchor"


def _body(entry: AuditEntry) -> bytes:
    body = {
        "prev": entry.prev_hash, "at": entry.at.isoformat(), "user_id": entry.user_id,
        "actor": entry.actor, "action": entry.action, "object_type": entry.object_type,
        "object_id": entry.object_id, "case_id": entry.case_id, "reason": entry.reason,
        "detail": entry.detail,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _digest(entry: AuditEntry) -> str:
    if entry.chain == KEYED:
        return hmac.new(pii.audit_key(), _body(entry), hashlib.sha256).hexdigest()
    return hashlib.sha256(_body(entry)).hexdigest()  # entries written before migration 0007


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
        case_id=case_id, reason=redaction.redact(reason) if reason else reason,
        detail=redaction.scrub(detail) if detail else detail, prev_hash=head.last_hash, chain=KEYED)
    entry.hash = _digest(entry)
    session.add(entry)
    session.flush()
    head.last_id, head.last_hash = entry.id, entry.hash
    session.flush()
    session.info[_PENDING] = (entry.id, entry.hash)
    return entry


@sa_event.listens_for(Session, "after_commit")
def _anchor_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a SAVEPOINT released: the entry is not committed yet
        return
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        try:
            anchor.append(*pending)
        except OSError as exc:  # the entry is committed; verify will say the head is unanchored
            log.error("audit head %s not anchored: %s", pending[0], exc)


@sa_event.listens_for(Session, "after_rollback")
def _drop_anchor(session: Session) -> None:
    session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class Verification:
    """The result of checking the chain: ``ok``, how many entries, and the first broken one."""

    ok: bool
    checked: int
    broken_id: int | None = None
    problem: str | None = None
    unanchored: int = 0  # newest entries committed after the newest anchored head


def verify(session: Session, anchor_file=None) -> Verification:
    """Walk the whole chain and check it against the anchored heads; report the first entry
    that was edited, removed or inserted, and a missing or forged anchor."""
    heads, problem = anchor.read(anchor_file)
    if problem:
        return Verification(False, 0, None, problem)
    previous, previous_id, count, keyed = GENESIS, 0, 0, False
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000))
    for entry in rows.scalars():
        count += 1
        if entry.prev_hash != previous:
            return Verification(False, count, entry.id,
                                f"entry {entry.id} does not follow entry {previous_id}: "
                                "an entry before it was removed or changed")
        if keyed and entry.chain != KEYED:
            return Verification(False, count, entry.id,
                                f"entry {entry.id} is not keyed but follows keyed entries: inserted")
        keyed = keyed or entry.chain == KEYED
        if not hmac.compare_digest(_digest(entry), entry.hash):
            return Verification(False, count, entry.id, f"entry {entry.id} was edited")
        if heads.get(entry.id, entry.hash) != entry.hash:
            return Verification(False, count, entry.id,
                                f"entry {entry.id} differs from its anchored head: the chain was rewritten")
        previous, previous_id = entry.hash, entry.id
    newest = max(heads, default=0)
    if newest > previous_id:
        return Verification(False, count, newest,
                            f"the newest entries after {previous_id} were removed "
                            f"(the anchored head is entry {newest})")
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_hash != previous or head.last_id != previous_id):
        return Verification(False, count, head.last_id,
                            f"the newest entries after {previous_id} were removed "
                            f"(the chain's head is entry {head.last_id})")
    if count and not heads:
        return Verification(False, count, None, f"no anchored head in {anchor.path(anchor_file)}: "
                            "the anchor was removed, or never written")
    return Verification(True, count, unanchored=previous_id - newest if count else 0)
