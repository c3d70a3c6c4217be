"""Real console processes (``run_ivr.py console``) and signed-in python-socketio clients."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import requests

from tests.conftest import ROOT, settings_environ
from tests.console.conftest import PASSWORD


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_console(conf, port: int, *, server: str = "gevent", **extra_env: str) -> subprocess.Popen:
    """``python run_ivr.py console --port PORT --server SERVER``, returned once it answers HTTP
    (``.base``: its URL). ``gevent`` is the command's default, the production server."""
    env = {**settings_environ(conf), **extra_env}
    env["HOTLINE_CONSOLE_SECURE_COOKIES"] = "false"
    # A file, not a pipe: nobody reads a pipe while the test runs, and Werkzeug logs every request.
    log = conf.var_dir / f"console-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a") as output:
        proc = subprocess.Popen([sys.executable, str(ROOT / "run_ivr.py"), "console", "--host",
                                 "127.0.0.1", "--port", str(port), "--server", server],
                                env=env, stdout=output, stderr=subprocess.STDOUT)
    proc.base, proc.log = f"http://127.0.0.1:{port}", log
    try:
        wait_serving(proc, proc.base, log)
    except RuntimeError:
        stop_console(proc)
        raise
    return proc


def wait_serving(proc: subprocess.Popen, base: str, log, seconds: float = 60) -> None:
    """Return once the console process ``proc`` answers HTTP at ``base``; RuntimeError with the
    tail of its ``log`` when it exits first or stays silent for ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"console exited: {log.read_text()[-2000:]}")
        try:
            requests.get(f"{base}/login", timeout=2)
            return
        except requests.RequestException:  # not listening yet, or still loading the app
            time.sleep(0.2)
    raise RuntimeError(f"console did not answer at {base}: {log.read_text()[-2000:]}")


def stop_console(proc: subprocess.Popen) -> None:
    """Terminate a console process (killed if it does not stop within 10 s)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def console_process(conf, port: int, *, server: str = "gevent", **extra_env: str):
    """A console process (see :func:`start_console`) until the block ends; yields its URL."""
    proc = start_console(conf, port, server=server, **extra_env)
    try:
        yield proc.base
    finally:
        stop_console(proc)


def signed_in(base: str, username: str, password: str = PASSWORD) -> requests.Session:
    """A requests session signed in through the login form."""
    http = requests.Session()
    page = http.get(f"{base}/login", timeout=10).text
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    answer = http.post(f"{base}/login", data={"username": username, "password": password,
                                              "csrf_token": csrf}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return http


def socket_client(base: str, http: requests.Session | None):
    """A real python-socketio client on ``/live`` carrying the session cookie (if any)."""
    import socketio

    client = socketio.Client(reconnection=False)
    headers = {}
    if http is not None:
        # Flask-Login's strong session protection binds the session to the browser's User-Agent.
        headers = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in http.cookies),
                   "User-Agent": http.headers["User-Agent"]}
    client.connect(base, namespaces=["/live"], headers=headers, transports=["websocket"], wait_timeout=10)
    return client
