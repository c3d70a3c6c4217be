"""PostgreSQL stopped exactly at the agent step: the caller still joins the agents' queue, the
queued outcome is journaled at once (this process may not outlive the conversation), and the
journal replay sets it later on the same call row, with no duplicate call, step or case."""
from __future__ import annotations

from sqlalchemy import func, select

from hotline import db, journal
from hotline.models import Call, CallStep, Case
from ivr import replay, testing
from ivr.fastagi_server import Server
from tests.faults.stack import when
from tests.ivr.conftest import COMPLAINT, SUNDAY_10AM


def test_postgres_stopped_at_the_agent_step(on_private_pg, private_pg):
    server = Server("127.0.0.1", 0, lambda: SUNDAY_10AM)
    server.start()
    try:
        # A complaint, its number read back, then 0 for an agent; the database stops as the IVR
        # sets the queue's channel variables.
        sim = testing.fake_asterisk(f"{COMPLAINT} 0")
        queued_while_up = []
        when(sim, b"SHAKWA_CALL_ID", lambda: (queued_while_up.append(len(journal.entries())),
                                              private_pg.stop()))
        testing.run_fastagi(sim, "127.0.0.1", server.server_address[1])
    finally:
        server.stop()
    assert queued_while_up == [0] and sim.said_digits  # the case was saved before the outage
    assert sim.apps and sim.apps[-1][0].lower() == "queue", sim.apps  # the caller still reached the queue
    assert "technical_error" not in sim.prompts
    assert len(journal.entries()) == 2  # at the agent step, and the call's end after the queue

    private_pg.start()
    db.dispose()
    uniqueid = sim.env["agi_uniqueid"]
    with db.session_scope() as session:  # before the replay: the row stopped where the outage hit it
        call = session.scalar(select(Call).where(Call.uniqueid == uniqueid))
        assert call.outcome is None and call.ended_at is None
    assert replay.run() == 2 and journal.entries() == []
    assert replay.run() == 0

    with db.session_scope() as session:
        calls = session.scalars(select(Call).where(Call.uniqueid == uniqueid)).all()
        assert len(calls) == 1
        call = calls[0]
        assert call.outcome == "queued" and call.ended_at is not None
        steps = session.scalars(select(CallStep).where(CallStep.call_id == call.id)
                                .order_by(CallStep.seq)).all()
        assert [s.seq for s in steps] == list(range(1, len(steps) + 1))  # no step twice
        assert any(s.step == "agent" and s.result == "queued" for s in steps)
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        assert session.scalar(select(func.count()).select_from(Call)) == 1
