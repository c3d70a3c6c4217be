"""A hang-up at every step, in every mode, loses nothing; the AGI process exits 0 without a word."""
from __future__ import annotations

import sys

import pytest

from ivr import testing
from ivr.fastagi_server import Server
from tests.conftest import ROOT, settings_environ
from tests.ivr.conftest import COMPLAINT, SUNDAY_10AM, rows
from tests.ivr.test_ivr_complaint import FLOW

RECORDED_FROM = FLOW.index("recording_menu")
SAVED_FROM = FLOW.index("save_complaint")
# Each step, and RECORD FILE itself (the hang-up during "record" comes in its beep prompt).
POINTS = FLOW + ["RECORD FILE"]


def _check(sim, point):
    step = "record" if point == "RECORD FILE" else point
    call, steps, case, recordings = rows(sim)
    assert sim.hung_up_during and not sim.alive
    assert call.hung_up and call.outcome == "hangup" and call.ended_at is not None
    assert sim.steps[-1] == step
    # Every step up to the hang-up is saved, and the last row says where the caller left.
    assert [s.step for s in steps][-1] == step and steps[-1].result == "hangup"
    assert {s.step for s in steps} >= set(FLOW[:FLOW.index(step)])
    index = RECORDED_FROM if point == "RECORD FILE" else FLOW.index(step)
    if index < RECORDED_FROM:
        assert case is None
    else:
        assert case is not None and case.incomplete == (index < SAVED_FROM)
        assert len(recordings) == 1 and recordings[0].case_id == case.id


@pytest.mark.parametrize("step", POINTS)
def test_hangup_in_process(step, place_call):
    sim, _ = place_call(COMPLAINT, hangup_at=step)
    _check(sim, step)


@pytest.mark.parametrize("step", POINTS)
def test_hangup_classic_agi_process(step, db_url):
    from hotline import settings

    sim = testing.fake_asterisk(COMPLAINT, network=False, hangup_at=step)
    outcome = testing.run_process(sim, [sys.executable, str(ROOT / "run_ivr.py"), "agi", "--at",
                                        SUNDAY_10AM.isoformat()], env=settings_environ(settings.get()))
    assert outcome.returncode == 0 and outcome.stderr == ""
    _check(sim, step)


@pytest.fixture
def fastagi_server(db_url):
    server = Server("127.0.0.1", 0, lambda: SUNDAY_10AM)
    server.start()
    yield server.server_address[1]
    server.stop()


@pytest.mark.parametrize("step", ["language", "RECORD FILE", "recording_menu", "read_number"])
def test_hangup_over_fastagi(step, fastagi_server):
    sim = testing.fake_asterisk(COMPLAINT, hangup_at=step)
    testing.run_fastagi(sim, "127.0.0.1", fastagi_server)
    import time
    for _ in range(100):  # the server finishes its bookkeeping after the socket closes
        call = rows(sim)[0] if _call_exists(sim) else None
        if call is not None and call.ended_at is not None:
            break
        time.sleep(0.05)
    _check(sim, step)


def _call_exists(sim) -> bool:
    from sqlalchemy import select

    from hotline import db
    from hotline.models import Call

    with db.session_scope() as session:
        return session.scalar(select(Call.id).where(Call.uniqueid == sim.env["agi_uniqueid"])) is not None


def test_hangup_in_the_agent_queue(place_call):
    sim, _ = place_call("1 0", hangup_at="Queue")
    call = rows(sim)[0]
    assert call.hung_up and call.outcome == "queued"


def test_caller_hangs_up_while_idle_at_start(db_url):
    from hotline import settings

    sim = testing.fake_asterisk("", network=False, exit_on_hangup=True)
    sim.hang_up()  # gone before the script says anything
    outcome = testing.run_process(sim, [sys.executable, str(ROOT / "run_ivr.py"), "agi"],
                                  env=settings_environ(settings.get()))
    assert outcome.returncode == 0 and outcome.stderr == ""
