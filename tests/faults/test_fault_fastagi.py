"""The FastAGI server killed mid-call: the rendered dialplan plays technical_error and serves the call
again (second server or process-mode AGI), and the second server finishes the same call: one call
row, one case, the complaint number read back."""
from __future__ import annotations

import signal
import subprocess
import sys

from sqlalchemy import select

from hotline import db
from hotline.models import Call, Case
from ivr import testing
from ivr.fastagi_server import Server
from tests.conftest import ROOT, run_command, settings_environ
from tests.faults.servers import _wait, free_port
from tests.faults.stack import counts, when
from tests.ivr.conftest import COMPLAINT, SUNDAY_10AM

FINISHED = '$["${SHAKWA_STEP}" = "goodbye" | "${SHAKWA_STEP}" = "agent" | "${AGISTATUS}" = "HANGUP"]'


def finished(sim) -> bool:
    """The dialplan's test after AGI(): did the IVR end the call itself?"""
    return sim.variables.get("SHAKWA_STEP") in ("goodbye", "agent") or not sim.alive


def test_rendered_dialplan_falls_back(on_private_pg, tmp_path):
    for extra, fallback in ((["--fastagi-fallback", "10.0.0.2:4573"], "AGI(agi://10.0.0.2:4573/hotline)"),
                            ([], ",agi)")):
        done = run_command(on_private_pg, "render-dialplan", "--output", str(tmp_path / "ast"), *extra)
        assert done.returncode == 0, done.stderr
        text = (tmp_path / "ast" / "extensions.conf").read_text()
        fastagi = text[text.index("exten => 16529"):text.index("exten => h")]
        lines = [line.strip() for line in fastagi.splitlines()]
        primary = lines.index("same => n,AGI(agi://127.0.0.1:4573/hotline)")
        assert lines[primary + 1] == f"same => n,GotoIf({FINISHED}?done)"
        assert lines[primary + 2].startswith("same => n,Playback(") and lines[primary + 2].endswith("/ar/technical_error)")
        assert lines[primary + 4].endswith(fallback)
        assert lines[primary + 6] == "same => n,Goto(hotline-failed,s,1)"
        classic = text[text.index("exten => 16528"):text.index("exten => 16529")]
        assert "technical_error)" in classic and "Goto(hotline-failed,s,1)" in classic
    bad = run_command(on_private_pg, "render-dialplan", "--output", str(tmp_path / "x"),
                      "--fastagi-fallback", "no port")
    assert bad.returncode != 0 and "HOST:PORT" in bad.stderr and "Traceback" not in bad.stderr


def test_fastagi_killed_mid_call_second_server_finishes_it(on_private_pg):
    port = free_port()
    primary = subprocess.Popen([sys.executable, str(ROOT / "run_ivr.py"), "fastagi", "--port", str(port),
                                "--at", SUNDAY_10AM.isoformat()], env=settings_environ(on_private_pg),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    second = Server("127.0.0.1", 0, lambda: SUNDAY_10AM)
    second.start()
    try:
        _wait(port, True)
        first_try = testing.fake_asterisk(COMPLAINT)
        when(first_try, b"RECORD FILE", lambda: primary.send_signal(signal.SIGKILL))
        testing.run_fastagi(first_try, "127.0.0.1", port)
        primary.wait()
        assert not finished(first_try)  # the dialplan plays technical_error and serves it again
        again = testing.fake_asterisk(COMPLAINT)
        again.env.update({k: first_try.env[k] for k in ("agi_uniqueid", "agi_channel")})
        testing.run_fastagi(again, "127.0.0.1", second.server_address[1])
    finally:
        if primary.poll() is None:
            primary.kill()
        second.stop()
    assert finished(again) and again.said_digits
    with db.session_scope() as session:
        calls = session.scalars(select(Call).where(Call.uniqueid == first_try.env["agi_uniqueid"])).all()
        assert len(calls) == 1 and calls[0].ended_at is not None and calls[0].outcome == "completed"
        assert len(session.scalars(select(Case).where(Case.call_id == calls[0].id)).all()) == 1
    assert counts()[:2] == (1, 1)
