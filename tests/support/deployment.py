"""A hotline deployment on a private Asterisk, as an operator would make it (tests and bench).

A settings file (PostgreSQL or SQLite, Redis or none, an age recipient, rendered prompts),
``render-dialplan`` into the PBX's folder, Asterisk started with a bare environment (so the AGI
wrapper must carry everything), and the project's processes (FastAGI, the AMI bridge, workers).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from hotline import keyfiles, settings
from recordings import keyring
from tests.support import pbx, waiting

ROOT = Path(__file__).resolve().parents[2]


def use_settings(conf):
    settings.install(conf)
    return conf


def bare_env(config: Path) -> dict[str, str]:
    """What a process started by an init system has: no HOTLINE_* but the settings file."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8", "HOTLINE_CONFIG": str(config)}


def render_prompts(folder: Path) -> Path:
    """The IVR's prompts rendered with ``make-prompts`` into ``folder/sounds``."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "prompts.toml"
    config.write_text(f'var_dir = "{folder / "var"}"\nsounds_dir = "{folder / "sounds"}"\n')
    done = subprocess.run([sys.executable, str(ROOT / "run_ivr.py"), "make-prompts", "--quiet"],
                          env=bare_env(config), capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"make-prompts: {done.stderr}")
    return folder / "sounds"


class Hotline:
    """One deployment: settings file, dialplan, a private Asterisk, and the processes around it."""

    def __init__(self, root: Path, install, prompts: Path, database_url: str, redis_url: str,
                 extra: dict[str, str] | None = None):
        self.root = root
        var = root / "var"
        var.mkdir(parents=True)  # root too
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
            'office_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]',
            *(f"{key} = {value}" for key, value in (extra or {}).items()), ""]))
        self.conf = use_settings(settings.load(bare_env(self.config)))
        if not database_url:  # embedded: the SQLite file under var_dir
            done = self.command("init-db")
            assert done.returncode == 0, done.stderr
        dialplan = root / "dialplan"
        done = self.command("render-dialplan", "--output", str(dialplan))
        assert done.returncode == 0, done.stderr
        self.render_output = done.stdout
        self.pbx = pbx.PBX(install, dialplan_dir=dialplan)
        # The bridge's AMI port is the PBX's: the main manager.conf (the harness's) sets it.
        self.config.write_text(self.config.read_text() + f"ami_port = {self.pbx.ami_port}\n")
        self.conf = use_settings(settings.load(bare_env(self.config)))
        self.processes: list[subprocess.Popen] = []

    def command(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "run_ivr.py"), *args], env=self.env,
                              capture_output=True, text=True, timeout=timeout, cwd=self.root)

    @property
    def env(self) -> dict[str, str]:
        return bare_env(self.config)

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


