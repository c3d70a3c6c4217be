"""The hotline on a real Asterisk 22: a deployment per test, as an operator would make it.

A settings file (PostgreSQL, Redis, an age recipient, rendered prompts), ``render-dialplan``
into the private PBX's folder, Asterisk started with a bare environment (so the AGI wrapper must
carry everything), optionally a FastAGI server and the AMI bridge as processes. Tests place
scripted calls (``tests.support.pbx.Caller``) and then look at the database, the vault, the event
stream and the job queue. Without an Asterisk the tests skip, each saying how to get one.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hotline import db, keyfiles, settings
from recordings import keyring
from tests.conftest import ROOT, use_settings
from tests.support import asterisk_build, database, pbx, services, waiting

CLASSIC, FAST = "16528", "16529"  # the numbers render-dialplan gives classic AGI and FastAGI
MODES = {"agi": CLASSIC, "fastagi": FAST}
COMPLAINT_TEXT = "السلام عليكم، عندي شكوى من القمامة المتراكمة في شارعنا منذ أسبوعين ولا أحد يرفعها"
NATIONAL_ID = "29001011234567"


@pytest.fixture(scope="session")
def asterisk() -> asterisk_build.Install:
    """The Asterisk the tests run (built by ``make asterisk``), or a skip saying how to get one."""
    tarball = Path(os.environ.get("ASTERISK_TARBALL") or asterisk_build.DEFAULT_TARBALL).resolve()
    install, why = asterisk_build.find(tarball=tarball)
    if install is None:
        pytest.skip(f"real-PBX test: {why}")
    return install


@pytest.fixture(scope="session")
def prompts(tmp_path_factory) -> Path:
    """The IVR's prompts rendered once (``make-prompts``), shared by every PBX test."""
    folder = tmp_path_factory.mktemp("prompts")
    config = folder / "prompts.toml"
    config.write_text(f'var_dir = "{folder / "var"}"\nsounds_dir = "{folder / "sounds"}"\n')
    done = subprocess.run([sys.executable, str(ROOT / "run_ivr.py"), "make-prompts", "--quiet"],
                          env=_bare_env(config), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return folder / "sounds"


@pytest.fixture(scope="session")
def spoken(tmp_path_factory) -> Path:
    """A spoken Arabic complaint (espeak-ng), 8 kHz, with a second of silence after it."""
    return pbx.speak(COMPLAINT_TEXT, tmp_path_factory.mktemp("speech") / "complaint.wav",
                     trailing_silence=1.0)


def _bare_env(config: Path) -> dict[str, str]:
    """What a process started by an init system has: no HOTLINE_* but the settings file."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8", "HOTLINE_CONFIG": str(config)}


class Hotline:
    """One deployment: settings file, dialplan, a private Asterisk, and the processes around it."""

    def __init__(self, root: Path, install, prompts: Path, database_url: str, redis_url: str):
        self.root = root
        var = root / "var"
        var.mkdir(parents=True)
        self.identity = root / "reviewer-identity.txt"
        recipient = keyring.write_identity(self.identity)
        keyfiles.read_or_create(root / "pii.key", setting="pii_key_file")
        self.fastagi_port = pbx.free_port()
        self.config = root / "shakwa.toml"
        self.config.write_text("\n".join([
            f'var_dir = "{var}"', f'database_url = "{database_url}"', f'redis_url = "{redis_url}"',
            f'sounds_dir = "{prompts}"', f'pii_key_file = "{root / "pii.key"}"',
            'secret_key = "pbx-tests"', f'age_recipients = ["{recipient}"]',
            f'fastagi_port = {self.fastagi_port}', 'ami_secret = "bridge-secret"',
            # On duty whenever the tests run: the agent queue is always open.
            'office_hours = "00:00-24:00"',
            'office_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]', ""]))
        self.conf = use_settings(settings.load(_bare_env(self.config)))
        dialplan = root / "dialplan"
        done = self.command("render-dialplan", "--output", str(dialplan))
        assert done.returncode == 0, done.stderr
        self.render_output = done.stdout
        self.pbx = pbx.PBX(install, dialplan_dir=dialplan)
        # The bridge's AMI port is the PBX's: the main manager.conf (the harness's) sets it.
        self.config.write_text(self.config.read_text() + f"ami_port = {self.pbx.ami_port}\n")
        self.conf = use_settings(settings.load(_bare_env(self.config)))
        self.processes: list[subprocess.Popen] = []

    def command(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "run_ivr.py"), *args], env=self.env,
                              capture_output=True, text=True, timeout=timeout, cwd=self.root)

    @property
    def env(self) -> dict[str, str]:
        return _bare_env(self.config)

    def start_asterisk(self) -> "Hotline":
        self.pbx.start(env=self._asterisk_env())
        return self

    def _asterisk_env(self) -> dict[str, str]:
        # Asterisk as an init system starts it: no settings in its environment at all.
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", "LANG": "C"}

    def start(self, command: str, *args: str, ready: str) -> subprocess.Popen:
        """``run_ivr.py COMMAND`` as its own process group, once it printed ``ready``."""
        log = open(self.root / f"{command}-{len(self.processes)}.log", "w+")
        process = subprocess.Popen([sys.executable, str(ROOT / "run_ivr.py"), command, *args],
                                   env=self.env, cwd=self.root, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        process.log = Path(log.name)
        self.processes.append(process)
        waiting.wait_for(lambda: process.poll() is not None or ready in process.log.read_text(),
                         f"{command} to start", 60)
        assert process.poll() is None, process.log.read_text()
        return process

    def start_fastagi(self) -> subprocess.Popen:
        return self.start("fastagi", "--port", str(self.fastagi_port), ready="listening")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.pbx.stop()


@pytest.fixture
def hotline(asterisk, prompts, tmp_path, isolated_settings):
    """A deployment on PostgreSQL and Redis with its Asterisk running (FastAGI started on demand)."""
    for problem in (services.ensure_postgresql(), services.ensure_redis()):
        if problem:
            pytest.fail(problem)
    url = database.create_postgresql_database()
    import redis

    client = redis.Redis.from_url(services.REDIS_URL)
    client.flushdb()
    from hotline import migrate, reference

    migrate.upgrade(url)
    with db.session_scope(url) as session:
        reference.load_into(session)
    db.dispose()
    deployment = Hotline(tmp_path / "deploy", asterisk, prompts, url, services.REDIS_URL)
    deployment.start_asterisk()
    yield deployment
    deployment.stop()
    db.dispose()
    database.drop_postgresql_database(url)
    client.flushdb()
    client.close()


def wait_until(condition, what: str, seconds: float = 180):
    """Poll until ``condition()`` is truthy (real calls take real time)."""
    return waiting.wait_for(condition, what, seconds)


def settle(seconds: float = 0.5) -> None:
    time.sleep(seconds)
