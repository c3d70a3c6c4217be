"""Steps of many calls are written together, after the IVR has answered the caller."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import event, select

from hotline import db
from hotline.models import Call, CallStep, utcnow
from ivr.step_writer import StepWriter


def _calls(n: int) -> list:
    with db.session_scope() as session:
        rows = [Call(uniqueid=f"writer-{i}", channel="PJSIP/x", mode="fastagi") for i in range(n)]
        session.add_all(rows)
        session.flush()
        ids = [row.id for row in rows]
    return [SimpleNamespace(call_id=i, offline=False, unsaved=[], complaint=SimpleNamespace(case_id=None))
            for i in ids]


def _step(seq: int) -> dict:
    return {"seq": seq, "step": "main_menu", "prompt": "main_menu", "input": "1", "result": "ok",
            "at": utcnow().isoformat()}


def test_steps_of_several_calls_share_one_transaction(db_url):
    calls = _calls(3)
    commits = []
    listener = lambda conn: commits.append(1)  # noqa: E731
    event.listen(db.engine(), "commit", listener)
    try:
        writer = StepWriter(batch_seconds=0.3)
        for call in calls:
            writer.submit(call, [_step(1), _step(2)])
        for call in calls:
            writer.wait(call)
    finally:
        event.remove(db.engine(), "commit", listener)
    assert len(commits) == 1
    with db.session_scope() as session:
        written = session.execute(select(CallStep.call_id, CallStep.seq)).all()
    assert sorted(written) == sorted((c.call_id, s) for c in calls for s in (1, 2))
    assert all(not c.unsaved and not c.offline for c in calls)


def test_with_the_database_down_the_steps_wait_for_the_journal(db_url, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from ivr import step_writer

    [call] = _calls(1)

    def down(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("connection refused"))

    monkeypatch.setattr(step_writer.db, "session_scope", down)
    writer = StepWriter(batch_seconds=0.01)
    writer.submit(call, [_step(1)])
    writer.wait(call)
    assert call.offline and [s["seq"] for s in call.unsaved] == [1]
