"""Fixtures: isolated settings per test, real SQLite and PostgreSQL databases, real Redis.

``--db sqlite|postgresql|all`` picks the backends that tests taking ``db_url`` run against
(default all). A test never touches ./var: each gets its own var_dir under tmp_path.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hotline import db, events, jobs, migrate, redis_conn, reference, settings
from tests.support import database, services

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    parser.addoption("--db", choices=["sqlite", "postgresql", "all"], default="all",
                     help="database backends for tests that take db_url (default: all)")


def backends(config) -> list[str]:
    choice = config.getoption("--db")
    return ["sqlite", "postgresql"] if choice == "all" else [choice]


# Whole systems (a real PBX, browsers on a running stack, killed processes, the demo) and what
# keeps both cores busy for a minute (speech recognition, eight processes filing cases): one worker
# runs them one after the other (pytest-xdist's loadgroup), while the other takes the rest, so a
# real-time call never shares the machine with a recogniser and the calls' waits overlap with work.
SYSTEM_TESTS = ("tests/pbx/", "tests/faults/", "tests/scaleout/", "tests/test_demo.py",
                "tests/shift/test_shift_browser.py", "tests/transcription/",
                "tests/test_cases.py::test_numbers_are_unique_under_concurrency")


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(item.path).relative_to(ROOT).as_posix()
        if path.startswith(SYSTEM_TESTS) or f"{path}::{item.originalname}" in SYSTEM_TESTS:
            item.add_marker(pytest.mark.xdist_group("system"))


def pytest_generate_tests(metafunc):
    if "db_url" in metafunc.fixturenames:
        metafunc.parametrize("db_url", backends(metafunc.config), indirect=True)


def make_settings(var_dir: Path, **overrides) -> settings.Settings:
    """Settings for a test: defaults with ``var_dir`` and overrides, no environment."""
    return settings.load(environ={}, var_dir=str(var_dir), **overrides)


def use_settings(conf: settings.Settings) -> settings.Settings:
    settings.install(conf)
    return conf


def settings_environ(conf: settings.Settings) -> dict[str, str]:
    """Environment for a subprocess (run_ivr.py …) that should see the same settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update({
        "HOTLINE_VAR_DIR": str(conf.var_dir),
        "HOTLINE_DATABASE_URL": conf.database_url,
        "HOTLINE_REDIS_URL": conf.redis_url,
        "HOTLINE_PII_KEY_FILE": str(conf.pii_key_file) if conf.pii_key_file.exists() else "",
        "HOTLINE_SECRET_KEY": conf.secret_key,
        "PYTHONPATH": str(ROOT),
    })
    return env


def run_command(conf: settings.Settings, *args: str, input: str | None = None,
                timeout: float = 120) -> subprocess.CompletedProcess:
    """``python run_ivr.py ARGS`` in a subprocess with the test's settings."""
    return subprocess.run([sys.executable, str(ROOT / "run_ivr.py"), *args], input=input,
                          capture_output=True, text=True, timeout=timeout,
                          env=settings_environ(conf), cwd=conf.var_dir.parent)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    """Every test starts with its own settings (var_dir under tmp_path) and fresh caches."""
    conf = use_settings(make_settings(tmp_path / "var"))
    yield conf
    jobs.reset_embedded()  # a job (or retry) left by this test must not run in the next one
    events.wait_dispatched()
    events._subscribers.clear()  # nor may a console app it made react to the next test's events
    settings.install(None)
    db.dispose()
    redis_conn.reset()
    events._recent.clear()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file with reference data, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    url = f"sqlite:///{path}"
    previous = settings.get()  # the requesting test's settings, restored below
    settings.install(make_settings(path.parent))
    migrate.upgrade(url)
    with db.session_scope(url) as session:
        reference.load_into(session)
    db.dispose()
    settings.install(previous)
    return path


@pytest.fixture(scope="session")
def postgresql_database():
    """A migrated PostgreSQL database for the session, emptied before each test that uses it."""
    problem = services.ensure_postgresql()
    if problem:
        pytest.fail(f"{problem}; run with --db sqlite to test SQLite alone")
    url = database.create_postgresql_database()
    migrate.upgrade(url)
    with db.session_scope(url) as session:
        reference.load_into(session)
    db.dispose()
    yield url
    db.dispose()
    database.drop_postgresql_database(url)


@pytest.fixture
def db_url(request, tmp_path, isolated_settings):
    """A migrated database with reference data, installed as the test's database_url."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgresql_database")
        database.clean_postgresql(url)
    else:
        url = database.copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "test.db")
    use_settings(settings.get().replace(database_url=url))  # keeps redis_url if set first
    return url


@pytest.fixture
def redis_url(isolated_settings, tmp_path):
    """The real Redis server (this run's database, flushed before and after), installed in settings."""
    problem = services.ensure_redis()
    if problem:
        pytest.fail(problem)
    import redis

    client = redis.Redis.from_url(services.REDIS_URL)
    client.flushdb()
    key_file = tmp_path / "pii.key"
    from hotline import keyfiles

    keyfiles.read_or_create(key_file, setting="pii_key_file")
    current = settings.get()  # keeps database_url if db_url was set first
    use_settings(current.replace(redis_url=services.REDIS_URL, pii_key_file=key_file,
                                 secret_key="test-secret-key"))
    yield services.REDIS_URL
    client.flushdb()
    client.close()
