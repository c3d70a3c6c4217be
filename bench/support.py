"""What several benchmarks share: a private redis-server, a scratch PostgreSQL database, the
open-files limit, CPU from /proc."""
from __future__ import annotations

import os
import resource
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def private_redis():
    """A redis-server of the bench's own, yielding its URL.

    Socket.IO's pub/sub channel and RQ's queues would otherwise be shared with the tests
    running beside the bench: they would get its events and jobs, and it theirs.
    """
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                             "--appendonly", "no", "--maxclients", "20000"], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the bench's redis-server did not start (apt-get install redis-server)")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait()


@contextmanager
def scratch_postgresql():
    """A migrated PostgreSQL database of the bench's own (with a PII key in a temporary var
    dir), installed as the settings' database; dropped on the way out. Yields its URL."""
    from hotline import db, keyfiles, migrate
    from tests.conftest import make_settings, use_settings
    from tests.support import database, services

    problem = services.ensure_postgresql()
    if problem:
        raise SystemExit(f"PostgreSQL is needed: {problem}")
    var = Path(tempfile.mkdtemp()) / "var"
    url = database.create_postgresql_database()
    use_settings(make_settings(var, database_url=url))
    keyfiles.read_or_create(var / "keys" / "pii.key", setting="pii_key_file")
    try:
        migrate.upgrade(url)
        yield url
    finally:
        db.dispose()
        database.drop_postgresql_database(url)


def raise_nofile() -> int:
    """Raise this process's open-files limit to the hard limit (children inherit it); returns it."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def cpu_seconds(pid: int) -> float:
    """User+system CPU of ``pid`` and its descendants, from /proc (0 once it is gone)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += cpu_seconds(int(child))
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as uptime prints them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
