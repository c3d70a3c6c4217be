"""PostgreSQL stopped in the middle of calls: calls finish, complaints are journaled, replayed once."""
from __future__ import annotations

from sqlalchemy import func, select

from hotline import db, jobs, journal
from hotline.models import Call, CallStep, Case, Recording, Transcript
from ivr import handoff, replay, testing
from ivr.fastagi_server import Server
from tests.conftest import use_settings
from tests.faults.stack import KO_MODEL, counts, wait_for, when
from tests.ivr.conftest import COMPLAINT, SUNDAY_10AM


def count(model) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_postgres_stopped_mid_call(on_private_pg, private_pg, monkeypatch):
    use_settings(on_private_pg.replace(vosk_model_path=KO_MODEL))  # embedded jobs transcribe for real
    monkeypatch.setattr(jobs.embedded_worker(), "retry_intervals", (0.5, 1, 2))
    handoff.check_ready()
    server = Server("127.0.0.1", 0, lambda: SUNDAY_10AM)
    server.start()
    port = server.server_address[1]
    try:
        first = testing.fake_asterisk(COMPLAINT)  # before the outage: a number read back
        testing.run_fastagi(first, "127.0.0.1", port)
        assert first.said_digits

        during = testing.fake_asterisk(COMPLAINT)  # the database stops while the caller records
        when(during, b"RECORD FILE", private_pg.stop)
        testing.run_fastagi(during, "127.0.0.1", port)
        after = testing.fake_asterisk(COMPLAINT)  # a whole call while it is down
        testing.run_fastagi(after, "127.0.0.1", port)
        hung_up = testing.fake_asterisk(COMPLAINT, hangup_at="recording_menu")  # recorded, then gone
        testing.run_fastagi(hung_up, "127.0.0.1", port)
    finally:
        server.stop()

    for sim in (during, after):  # never dead air: the caller is told, then goodbye
        assert "technical_error" in sim.prompts and not sim.said_digits, sim.prompts
        assert sim.prompts[-1] == "goodbye"
    assert len(journal.entries()) >= 3
    assert replay.run() == 0  # still down: nothing applied, nothing lost
    assert len(journal.entries()) >= 3

    private_pg.start()
    db.dispose()
    applied = replay.run()
    assert applied >= 3 and journal.entries() == []
    placed = [first, during, after, hung_up]
    with db.session_scope() as session:
        for sim in placed:
            call = session.scalar(select(Call).where(Call.uniqueid == sim.env["agi_uniqueid"]))
            assert call is not None and call.ended_at is not None, sim.env["agi_uniqueid"]
            cases = session.scalars(select(Case).where(Case.call_id == call.id)).all()
            assert len(cases) == 1
            assert session.scalar(select(func.count()).select_from(CallStep).where(CallStep.call_id == call.id)) > 3
        incomplete = session.scalar(select(Case).join(Call).where(Call.uniqueid == hung_up.env["agi_uniqueid"]))
        assert incomplete.incomplete and incomplete.complainant.national_id == "29001011234567"
    assert count(Case) == len(placed) == count(Call)
    assert count(Recording) == len(placed)
    wait_for(lambda: jobs.embedded_worker().join() or count(Transcript) == len(placed), "transcripts")
    assert counts() == (len(placed),) * 3  # complaints placed = cases stored = transcripts stored

    # A crash after the commit but before the entry was removed: the entry comes back, no duplicate.
    for sim in (during, after):
        journal.append(replay.KIND, sim.env["agi_uniqueid"], _entry_again(sim))
    assert replay.run() == 2
    assert count(Case) == len(placed) and count(Call) == len(placed)


def _entry_again(sim) -> dict:
    with db.session_scope() as session:
        call = session.scalar(select(Call).where(Call.uniqueid == sim.env["agi_uniqueid"]))
        return {"uniqueid": call.uniqueid, "channel": call.channel, "mode": call.mode,
                "language": call.language, "started_at": call.started_at.isoformat(), "caller": None,
                "steps": [{"seq": 1, "step": "welcome", "prompt": None, "input": None, "result": "x"}],
                "complaint": {"incomplete": False, "spooled": None, "category": None, "governorate": None,
                              "consent": None, "national_id": None, "recording_format": "wav"}}
