"""The hotline on a real Asterisk 22: a deployment per test, as an operator would make it.

A settings file (PostgreSQL, Redis, an age recipient, rendered prompts), ``render-dialplan``
into the private PBX's folder, Asterisk started with a bare environment (so the AGI wrapper must
carry everything), optionally a FastAGI server and the AMI bridge as processes. Tests place
scripted calls (``tests.support.pbx.Caller``) and then look at the database, the vault, the event
stream and the job queue. Without an Asterisk the tests skip, each saying how to get one.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from hotline import db
from tests.support import asterisk_build, database, deployment, pbx, services, waiting

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
    return deployment.render_prompts(tmp_path_factory.mktemp("prompts"))


@pytest.fixture(scope="session")
def spoken(tmp_path_factory) -> Path:
    """A spoken Arabic complaint (espeak-ng), 8 kHz, with a second of silence after it."""
    return pbx.speak(COMPLAINT_TEXT, tmp_path_factory.mktemp("speech") / "complaint.wav",
                     trailing_silence=1.0)


def deployed(asterisk, prompts, tmp_path, extra: dict[str, str] | None = None):
    """A deployment on its own PostgreSQL database and a flushed Redis, its Asterisk running;
    a generator: the fixtures yield what it yields, and it cleans up after."""
    for problem in (services.ensure_postgresql(), services.ensure_redis()):
        if problem:
            pytest.fail(problem)
    import redis

    from hotline import migrate, reference

    url = database.create_postgresql_database()
    client = redis.Redis.from_url(services.REDIS_URL)
    client.flushdb()
    migrate.upgrade(url)
    with db.session_scope(url) as session:
        reference.load_into(session)
    db.dispose()
    hotline = deployment.Hotline(tmp_path / "deploy", asterisk, prompts, url, services.REDIS_URL, extra)
    hotline.start_asterisk()
    try:
        yield hotline
    finally:
        hotline.stop()
        db.dispose()
        database.drop_postgresql_database(url)
        client.flushdb()
        client.close()


@pytest.fixture
def hotline(asterisk, prompts, tmp_path, isolated_settings):
    """A deployment on PostgreSQL and Redis with its Asterisk running (FastAGI started on demand)."""
    yield from deployed(asterisk, prompts, tmp_path)


def wait_until(condition, what: str, seconds: float = 180):
    """Poll until ``condition()`` is truthy (real calls take real time)."""
    return waiting.wait_for(condition, what, seconds)
