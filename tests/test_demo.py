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


def test_demo_agent_request_pops_on_agent1_through_the_ami_bridge(isolated_settings):
    """Call 6 asks for an agent: the fake Asterisk's AgentConnect goes through the real AMI bridge
    and reaches agent1's Socket.IO client with agent1's extension (the console's screen pop)."""
    import threading

    from hotline.commands.demo import PASSWORD
    from tests.console.servers import free_port, signed_in, socket_client

    conf = isolated_settings
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run_ivr.py"), "demo", "--calls", "6", "--every", "1.5",
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=settings_environ(conf), cwd=conf.var_dir.parent)
    popped, output = threading.Event(), []
    try:
        while True:
            line = proc.stdout.readline()
            output.append(line)
            if not line or line.startswith("demo call 1:"):
                break
        threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        client = socket_client(base, signed_in(base, "agent1", PASSWORD))
        seen = []
        client.on("queue.agent_connect", lambda event: (seen.append(event), popped.set()),
                  namespace="/live")
        assert popped.wait(120), "".join(output)
        client.disconnect()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
    event = seen[0]
    assert event["payload"]["agent"] == "1001"
    settings.install(conf)
    from hotline.models import Call
    with db.session_scope() as session:
        queued = session.scalar(select(Call).where(Call.outcome == "queued"))
        assert queued is not None and event["call_id"] == queued.id
    assert proc.returncode == 0, "".join(output)
