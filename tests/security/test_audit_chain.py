"""The audit chain against someone who can write the database: keyed, anchored, never trimmed.

Each attack is what an insider with database rights would do (tests/test_audit.py covers edits
and deletions inside the chain); ``run_ivr.py audit verify`` must catch every one.
"""
from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select, text

from hotline import anchor, audit, db, settings
from hotline.models import AuditEntry
from tests.conftest import run_command
from tests.test_audit import _drop_guard, _write_entries

NID = "29001011234567"


def _verify():
    with db.session_scope() as session:
        return audit.verify(session)


def _rechain(conn, digest) -> None:
    """Recompute every entry's hash with ``digest(entry row)`` and fix ``audit_head`` to match."""
    previous = audit.GENESIS
    rows = conn.execute(text("SELECT * FROM audit_entries ORDER BY id")).mappings().all()
    for row in rows:
        body = {"prev": previous, "at": _stamp(row["at"]), "user_id": row["user_id"],
                "actor": row["actor"], "action": row["action"], "object_type": row["object_type"],
                "object_id": row["object_id"], "case_id": row["case_id"], "reason": row["reason"],
                "detail": json.loads(row["detail"]) if isinstance(row["detail"], str) else row["detail"]}
        new = digest(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())
        conn.execute(text("UPDATE audit_entries SET prev_hash = :p, hash = :h, chain = NULL WHERE id = :i"),
                     {"p": previous, "h": new, "i": row["id"]})
        previous = new
    conn.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": previous})


def _stamp(value) -> str:
    from datetime import datetime, timezone

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()


def test_deleting_the_newest_entries_and_the_head_is_caught_by_the_anchor(db_url):
    _write_entries()
    with db.engine().begin() as conn:
        _drop_guard(conn)
        conn.execute(text("DELETE FROM audit_entries WHERE id >= 4"))
        last = conn.execute(text("SELECT hash FROM audit_entries WHERE id = 3")).scalar_one()
        conn.execute(text("UPDATE audit_head SET last_id = 3, last_hash = :h"), {"h": last})
    result = _verify()
    assert not result.ok and "the anchored head is entry 5" in result.problem
    done = run_command(settings.get(), "audit", "verify")
    assert done.returncode == 1 and "BROKEN" in done.stdout and "removed" in done.stdout


def test_a_chain_recomputed_after_an_edit_does_not_verify(db_url):
    _write_entries()
    with db.engine().begin() as conn:
        _drop_guard(conn)
        conn.execute(text("UPDATE audit_entries SET actor = 'someone-else' WHERE id = 2"))
        # Without the key the best an attacker can do is plain SHA-256 (the pre-0007 scheme).
        _rechain(conn, lambda body: hashlib.sha256(body).hexdigest())
    result = _verify()
    assert not result.ok and "anchored head" in result.problem


def test_the_chain_is_keyed_with_a_key_the_database_does_not_hold(db_url):
    _write_entries(1)
    with db.session_scope() as session:
        entry = session.scalar(select(AuditEntry))
        assert entry.chain == audit.KEYED
        assert entry.hash != hashlib.sha256(audit._body(entry)).hexdigest()
        stored = " ".join(str(v) for v in session.execute(text("SELECT * FROM audit_entries")).one())
    from hotline import pii

    assert pii.audit_key().hex() not in stored


def test_a_missing_anchor_is_an_error_not_a_skip(db_url):
    _write_entries()
    anchor.path().unlink()
    result = _verify()
    assert not result.ok and "no anchored head" in result.problem
    done = run_command(settings.get(), "audit", "verify")
    assert done.returncode == 1 and "no anchored head" in done.stdout


def test_a_forged_anchor_line_is_refused(db_url):
    _write_entries()
    with open(anchor.path(), "a") as handle:
        handle.write(json.dumps({"id": 3, "hash": "f" * 64, "sig": "0" * 64}) + "\n")
    result = _verify()
    assert not result.ok and "forged" in result.problem


def test_a_torn_last_line_is_left_out(db_url):
    _write_entries()
    with open(anchor.path(), "a") as handle:
        handle.write('{"id": 6, "hash": "ab')  # the process died mid-write
    assert _verify().ok


def test_a_rolled_back_entry_is_not_anchored(db_url):
    _write_entries(2)
    with pytest.raises(RuntimeError):
        with db.session_scope() as session:
            audit.record(session, "identity.viewed", actor="x")
            raise RuntimeError("the request failed")
    heads, problem = anchor.read()
    assert problem is None and max(heads) == 2 and _verify().ok


def test_the_anchor_file_is_private(db_url):
    _write_entries(1)
    assert anchor.path().stat().st_mode & 0o777 == 0o600
    assert anchor.path().parent.stat().st_mode & 0o777 == 0o700


def test_identity_never_reaches_details_or_reasons(db_url):
    with db.session_scope() as session:
        audit.record(session, "cases.exported", actor="mona", reason=f"المواطن {NID} طلب",
                     detail={"filters": {"q": f"بطاقة {NID}", "national_id": NID}, "rows": 3})
    with db.session_scope() as session:
        raw = session.execute(text("SELECT reason, detail FROM audit_entries")).one()
    assert NID not in str(raw) and "*" * 14 in str(raw)
    assert _verify().ok
