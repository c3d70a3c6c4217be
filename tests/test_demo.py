"""``run_ivr.py demo`` on embedded defaults: calls arrive, become cases and transcripts; Ctrl-C stops it."""
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from hotline import db, settings
from hotline.models import Case, Recording, Transcript, User
from tests.conftest import ROOT, settings_environ


def test_demo_places_calls_and_stops_cleanly_on_ctrl_c(isolated_settings):
    conf = isolated_settings
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run_ivr.py"), "demo", "--calls", "4", "--every", "0.5",
         "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=settings_environ(conf), cwd=conf.var_dir.parent)
    lines = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("demo call 4:"):
            break
    # give the in-process worker time to transcribe before stopping
    settings.install(conf)
    while time.monotonic() < deadline:
        with db.session_scope() as session:
            if session.scalar(select(func.count()).select_from(Transcript)) >= 3:
                break
        time.sleep(1)
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=120)
    output = "".join(lines) + rest
    assert proc.returncode == 0, output
    assert "Traceback" not in output
    assert "transcribing with the Korean test model" in output
    assert "password 'shakwa-demo'" in output and "demo: stopped" in output
    complaints = [l for l in lines if l.startswith("demo call") and "→ 26" in l]
    assert len(complaints) == 3, output  # Arabic, English, (a follow-up,) Minya
    with db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 3
        assert session.scalar(select(func.count()).select_from(Recording)
                              .where(Recording.status == "stored")) == 3
        assert session.scalar(select(func.count()).select_from(Transcript)) == 3
        roles = set(session.scalars(select(User.role)))
    assert roles == {"agent", "supervisor", "quality_reviewer", "entity_officer", "admin"}
