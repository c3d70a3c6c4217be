"""Process-mode AGI hosts replay the journal with ``run_ivr.py replay`` (a timer, or ``--every``).

Calls answered by ``run_ivr.py agi`` while PostgreSQL is down are journaled; there is no FastAGI
server on the host to replay them. ``replay`` says the database is unavailable (exit 1) and keeps
them; once it is back, ``replay --every`` applies them (one case per complaint) and stops on SIGTERM;
a later run finds nothing to do and makes no duplicate.
"""
from __future__ import annotations

import signal
import subprocess
import sys

from sqlalchemy import select

from hotline import db, journal
from hotline.models import Call, Case
from ivr import testing
from tests.conftest import ROOT, run_command
from tests.faults.stack import counts, full_settings, wait_for, worker_environ
from tests.ivr.conftest import COMPLAINT, SUNDAY_10AM


def agi_call(conf, keys: str = COMPLAINT, **options):
    """One call as Asterisk forks ``run_ivr.py agi`` for it."""
    sim = testing.fake_asterisk(keys, network=False, **options)
    outcome = testing.run_process(sim, [sys.executable, str(ROOT / "run_ivr.py"), "agi", "--at",
                                        SUNDAY_10AM.isoformat()], env=worker_environ(conf),
                                  cwd=conf.var_dir.parent)
    assert outcome.returncode == 0, outcome.stderr
    return sim


def test_replay_command_applies_what_process_mode_agi_journaled(private_pg, private_redis, tmp_path):
    conf = full_settings(tmp_path, private_pg.url, private_redis.url)
    private_pg.stop()
    placed = [agi_call(conf), agi_call(conf, hangup_at="recording_menu")]
    for sim in placed:  # told of the problem, never dead air; the complaint is kept on this host
        assert not sim.said_digits
    assert "technical_error" in placed[0].prompts and placed[0].prompts[-1] == "goodbye"
    waiting = len(journal.entries())
    assert waiting >= 2

    down = run_command(conf, "replay")
    assert down.returncode == 1 and "database unavailable" in down.stderr, down.stderr
    assert "Traceback" not in down.stderr and len(journal.entries()) == waiting

    private_pg.start()
    db.dispose()
    loop = subprocess.Popen([sys.executable, str(ROOT / "run_ivr.py"), "replay", "--every", "0.5"],
                            env=worker_environ(conf), cwd=conf.var_dir.parent,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: journal.entries() == [], "the journal replayed by replay --every")
    finally:
        loop.send_signal(signal.SIGTERM)
        output, _ = loop.communicate(timeout=60)
    assert loop.returncode == 0 and "Traceback" not in output, output
    with db.session_scope() as session:
        for sim in placed:
            call = session.scalar(select(Call).where(Call.uniqueid == sim.env["agi_uniqueid"]))
            assert call is not None and call.mode == "agi" and call.ended_at is not None
            assert len(session.scalars(select(Case).where(Case.call_id == call.id)).all()) == 1
        hung_up = select(Case).join(Call).where(Call.uniqueid == placed[1].env["agi_uniqueid"])
        assert session.scalar(hung_up).incomplete
    assert counts()[:2] == (2, 2)

    again = run_command(conf, "replay")  # the timer's next run: nothing left, nothing doubled
    assert again.returncode == 0 and "0 journaled calls applied, 0 waiting" in again.stdout, again.stderr
    assert counts()[:2] == (2, 2)


def test_replay_every_must_be_positive(isolated_settings):
    bad = run_command(isolated_settings, "replay", "--every", "0")
    assert bad.returncode != 0 and "--every" in bad.stderr and "Traceback" not in bad.stderr
