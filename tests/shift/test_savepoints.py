"""A SAVEPOINT released is not a commit: SQLAlchemy 2 fires ``after_commit`` on it too, and the
hooks that publish events, queue notification jobs, anchor the audit chain or remove plaintext
must wait for the real commit (a notification job written from another connection while the
transaction still held SQLite's lock waited 30 s: answering a case hung the entity's browser)."""
from __future__ import annotations

from hotline import db, events


def test_an_event_waits_for_the_outer_commit(db_url):
    heard = []
    unsubscribe = events.subscribe(heard.append)
    try:
        with db.session_scope() as session:
            events.publish_after_commit(session, events.Event("case.test"))
            with session.begin_nested():
                pass
            events.wait_dispatched()
            assert heard == []
        events.wait_dispatched()
        assert [e.type for e in heard] == ["case.test"]
    finally:
        unsubscribe()


def test_a_notification_job_is_stored_after_the_commit_not_inside_it(db_url, caplog):
    from hotline import cases
    from hotline.models import Case, CaseStatus

    with db.session_scope() as session:
        case = cases.create_case(session, channel="ivr", actor="ivr", category="garbage", governorate="minya")
        cases.route_if_certain(session, case)
        case_id = case.id
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        cases.change_status(session, case, CaseStatus.answered, actor="minya")
        with session.begin_nested():  # what casewatch and the work queue do inside a commit
            pass
    assert "kept in memory only" not in caplog.text  # the job's row was written, not refused
