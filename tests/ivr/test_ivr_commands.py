"""The IVR's commands: simulate-call, fastagi (graceful SIGTERM) and their errors."""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time

from ivr import testing
from tests.conftest import ROOT, run_command, settings_environ
from tests.ivr.conftest import COMPLAINT, SUNDAY_10AM


def test_simulate_call_json(db_url, isolated_settings):
    from hotline import settings

    done = run_command(settings.get(), "simulate-call", "--keys", COMPLAINT, "--json", "--at",
                       SUNDAY_10AM.isoformat())
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["case_number"] and report["call_id"] and report["hung_up"] is False
    assert report["steps"][-1] == "goodbye" and report["said_digits"] == [report["case_number"]]
    assert report["prompts"][0] == "welcome"


def test_simulate_call_hangup_in_process_mode(db_url):
    from hotline import settings

    done = run_command(settings.get(), "simulate-call", "--keys", COMPLAINT, "--hangup-at",
                       "recording_menu", "--process", "--json")
    report = json.loads(done.stdout)
    assert report["hung_up"] and report["incomplete"] is True and report["case_number"]


def test_simulate_call_bad_input(db_url):
    from hotline import settings

    conf = settings.get()
    bad = run_command(conf, "simulate-call", "--keys", "1 x")
    assert bad.returncode == 2 and "not a keypad token" in bad.stderr and "Traceback" not in bad.stderr
    missing = run_command(conf, "simulate-call", "--audio", "/nonexistent.wav")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    unreachable = run_command(conf, "simulate-call", "--fastagi", "127.0.0.1:1")
    assert unreachable.returncode == 2 and "cannot reach" in unreachable.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_fastagi_finishes_calls_in_progress_on_sigterm(db_url):
    from hotline import settings

    port = _free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "run_ivr.py"), "fastagi", "--port", str(port),
                               "--at", SUNDAY_10AM.isoformat()], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=settings_environ(settings.get()))
    try:
        assert "listening" in server.stdout.readline()
        sim = testing.fake_asterisk(COMPLAINT)
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        reader = sock.makefile("rb")
        sock.sendall(sim.env_block())
        first = reader.readline()  # the call is in progress: ANSWER
        server.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        for item in sim.handle(first):
            sock.sendall(item)
        _finish(sim, reader, sock)
        assert server.wait(30) == 0
        assert sim.steps[-1] == "goodbye" and sim.said_digits
    finally:
        if server.poll() is None:
            server.kill()


def _finish(sim, reader, sock):
    while True:
        line = reader.readline()
        if not line:
            break
        for item in sim.handle(line):
            if isinstance(item, bytes):
                sock.sendall(item)
    sock.close()


def test_render_dialplan(isolated_settings, tmp_path):
    from hotline import settings

    done = run_command(settings.get(), "render-dialplan", "--output", str(tmp_path / "ast"),
                       "--ami-secret", "s3cret")
    assert done.returncode == 0, done.stderr
    extensions = (tmp_path / "ast" / "extensions.conf").read_text()
    assert "AGI(agi://127.0.0.1:4573/hotline)" in extensions and ",agi)" in extensions
    assert "[hotline-failed]" in extensions and "Queue(hotline" in extensions
    assert "[hotline]" in (tmp_path / "ast" / "queues.conf").read_text()
    assert "secret = s3cret" in (tmp_path / "ast" / "manager.conf").read_text()
