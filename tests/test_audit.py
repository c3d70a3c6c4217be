"""The audit trail: hash chain verification catches edits and deletions; the database refuses both."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from hotline import audit, db
from tests.conftest import run_command


def _write_entries(count: int = 5) -> None:
    with db.session_scope() as session:
        for number in range(count):
            audit.record(session, "identity.viewed", actor="mona", object_type="case",
                         object_id=number, case_id=number, reason="complete the case form",
                         detail={"fields": ["phone", "national_id"]})


def _drop_guard(conn) -> None:
    """What an attacker with database rights would do first: remove the append-only triggers."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))
    else:
        conn.execute(text("DROP TRIGGER audit_entries_no_update"))
        conn.execute(text("DROP TRIGGER audit_entries_no_delete"))


def test_intact_chain_verifies(db_url):
    _write_entries()
    with db.session_scope() as session:
        result = audit.verify(session)
    assert result.ok and result.checked == 5


def test_database_refuses_update_and_delete(db_url):
    _write_entries(1)
    for statement in ("UPDATE audit_entries SET reason = 'x'", "DELETE FROM audit_entries"):
        with pytest.raises(DatabaseError, match="append-only"):
            with db.engine().begin() as conn:
                conn.execute(text(statement))


def test_edited_entry_is_detected(db_url):
    _write_entries()
    with db.engine().begin() as conn:
        _drop_guard(conn)
        conn.execute(text("UPDATE audit_entries SET actor = 'someone-else' WHERE id = 3"))
    with db.session_scope() as session:
        result = audit.verify(session)
    assert not result.ok and result.broken_id == 3 and "edited" in result.problem


def test_deleted_entry_is_detected(db_url):
    _write_entries()
    with db.engine().begin() as conn:
        _drop_guard(conn)
        conn.execute(text("DELETE FROM audit_entries WHERE id = 2"))
    with db.session_scope() as session:
        result = audit.verify(session)
    assert not result.ok and result.broken_id == 3 and "removed or changed" in result.problem


def test_deleting_the_newest_entries_is_detected(db_url):
    _write_entries()
    with db.engine().begin() as conn:
        _drop_guard(conn)
        conn.execute(text("DELETE FROM audit_entries WHERE id >= 4"))
    with db.session_scope() as session:
        result = audit.verify(session)
    assert not result.ok and "newest entries after 3 were removed" in result.problem


def test_audit_verify_command_reports_first_broken_entry(db_url, isolated_settings):
    from hotline import settings

    _write_entries()
    conf = settings.get()
    assert run_command(conf, "audit", "verify").stdout.startswith("audit trail intact: 5 entries")
    with db.engine().begin() as conn:
        _drop_guard(conn)
        conn.execute(text("UPDATE audit_entries SET reason = 'covered up' WHERE id = 4"))
    result = run_command(conf, "audit", "verify")
    assert result.returncode == 1
    assert result.stdout.strip() == "audit trail BROKEN at entry 4: entry 4 was edited"
