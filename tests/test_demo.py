"""``run_ivr.py demo`` (embedded, and ``--redis`` with a process per service): calls arrive, become
cases and transcripts; Ctrl-C stops it."""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, inspect, select

from hotline import db, settings
from hotline.models import Case, Recording, Transcript, User
from tests.conftest import ROOT, settings_environ


def test_demo_places_calls_and_stops_cleanly_on_ctrl_c(isolated_settings):
    conf = isolated_settings
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run_ivr.py"), "demo", "--calls", "4", "--every", "0.5",
         "--pace", "0", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
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
    """Call 6 asks for an agent: agent1, available in the console, answers; the fake Asterisk's
    AgentConnect goes through the real AMI bridge and reaches agent1's Socket.IO client with
    agent1's extension (the console's screen pop), and the wallboard counts the answered call."""
    import threading

    from hotline.commands.demo import PASSWORD
    from tests.console.servers import free_port, signed_in, socket_client

    conf = isolated_settings
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run_ivr.py"), "demo", "--calls", "6", "--every", "1.5",
         "--pace", "0", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
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
        http = signed_in(base, "agent1", PASSWORD)
        page = http.get(f"{base}/calls", timeout=10).text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        http.post(f"{base}/agent/state", data={"state": "available", "csrf_token": csrf}, timeout=10)
        client = socket_client(base, http)
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
    from hotline.models import QueueCall
    with db.session_scope() as session:
        queued = session.scalar(select(Call).where(Call.outcome == "queued"))
        assert queued is not None and event["call_id"] == queued.id
        waited = session.scalar(select(QueueCall).where(QueueCall.call_id == queued.id))
        assert waited.answered_at is not None and waited.agent == "1001"
    assert proc.returncode == 0, "".join(output)
    assert "answered in the agent queue" in "".join(output)


def test_demo_calls_take_their_real_time(isolated_settings):
    """Paced, a call lasts as long as its prompts and recording: the IVR's first prompts alone
    (welcome, the language and main menus) keep a caller several seconds, so the live board and
    the wallboard see it move; unpaced the same call is over in a moment."""
    from hotline.commands import demo_calls
    from ivr import testing

    sim = testing.fake_asterisk("1 2", sounds_dir=isolated_settings.sounds_dir.parent)
    menu = b'GET DATA "%s" 5000 1\n' % str(isolated_settings.sounds_dir / "ar" / "main_menu").encode()
    assert demo_calls.airtime(sim, menu, [b"200 result=49\n"]) >= demo_calls.THINK
    played = demo_calls.airtime(sim, b'STREAM FILE "welcome" ""\n', [b"200 result=0 endpos=24000\n"])
    assert played == 3.0  # 24000 samples at 8 kHz
    recorded = demo_calls.airtime(sim, b'RECORD FILE "/x" wav "#" 180000 BEEP s=5\n',
                                  [b"200 result=0 (timeout) endpos=40000\n"])
    assert recorded == 5.0


def _session_members(session_id: int) -> list[str]:
    """Command lines of the processes still in a session (what a Ctrl-C would have to stop)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session_id:
                members.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return members


def test_demo_redis_runs_each_service_as_a_process_and_ctrl_c_stops_them_all(isolated_settings, tmp_path):
    """``make demo REDIS=1`` on the test's own PostgreSQL database and Redis server: calls become
    cases, an RQ worker process transcribes them; Ctrl-C (SIGINT to the process group) stops
    every process and the demo exits 0."""
    import threading

    from hotline import keyfiles
    from tests.console.servers import free_port
    from tests.faults.servers import PrivateRedis
    from tests.support import database, waiting

    pii_key = tmp_path / "pii.key"
    keyfiles.read_or_create(pii_key, setting="pii_key_file")
    redis_server, url = PrivateRedis(), database.create_postgresql_database()
    redis_server.start()
    conf = isolated_settings.replace(database_url=url, redis_url=redis_server.url, pii_key_file=pii_key,
                                     secret_key="demo-test")
    env = {**settings_environ(conf), "HOTLINE_FASTAGI_PORT": str(free_port())}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run_ivr.py"), "demo", "--redis", "--calls", "4", "--every", "0.5",
         "--pace", "0", "--port", str(free_port())], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=env, cwd=conf.var_dir.parent, start_new_session=True)
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        settings.install(conf)

        def stored() -> bool:
            assert proc.poll() is None, "".join(output)
            if not inspect(db.engine()).has_table("transcripts"):  # the demo has not migrated yet
                return False
            with db.session_scope() as session:
                return (session.scalar(select(func.count()).select_from(Case)) == 3
                        and session.scalar(select(func.count()).select_from(Transcript)) == 3)

        waiting.wait_for(stored, "three cases transcribed by the worker process", 240)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in the terminal that runs `make demo REDIS=1`
        assert proc.wait(timeout=120) == 0, "".join(output)
        reader.join(60)  # end of output: no process is left holding the demo's stdout
        assert not reader.is_alive() and _session_members(proc.pid) == []
    finally:
        if proc.poll() is None or _session_members(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        db.dispose()
        redis_server.close()
        database.drop_postgresql_database(url)
    text = "".join(output)
    assert "Traceback" not in text and "demo: stopped" in text, text
    assert f"Redis {redis_server.url}" in text and url.rsplit("/", 1)[1] in text, text
    assert sum(1 for line in text.splitlines() if line.startswith("demo call") and "→ 26" in line) == 3, text
    # The worker ran as its own process, its engines loaded, on the RQ queue (its start-up line).
    assert re.search(r"^transcription: .+ loaded( in each worker)?; 1 workers on \S+$", text, re.M), text
    assert "fastagi: listening" in text and "console listening" in text
