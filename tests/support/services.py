"""Make sure the real PostgreSQL and Redis servers the tests use are running.

Tests use the servers at PG_URL / REDIS_URL below; when a server is installed but down it is
started the way Debian's packages start it. When one cannot be had, the test fails with a
message saying so (unless ``--db sqlite`` was chosen): a skipped test proves nothing.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# Each test process takes its own Redis database (1-15), so two runs side by side on one machine, or
# two pytest-xdist workers of one run, do not flush each other's data; 0 is left to `make demo REDIS=1`.
def _redis_database() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, ... of one run
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    if worker.startswith("gw") and worker[2:].isdigit() and run:
        return 1 + (int(run[:8], 16) + int(worker[2:])) % 15
    return 1 + os.getpid() % 15


REDIS_URL = f"redis://127.0.0.1:6379/{_redis_database()}"


def _listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _wait(port: int, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _listening(port):
            return True
        time.sleep(0.2)
    return False


def ensure_postgresql() -> str | None:
    """None when PostgreSQL listens on 5432 (started if needed), else why not."""
    if _listening(5432):
        return None
    versions = sorted(os.path.basename(p) for p in glob.glob("/etc/postgresql/*"))
    if not versions or not shutil.which("pg_ctlcluster"):
        return "PostgreSQL is not installed (apt-get install postgresql)"
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"],
                   capture_output=True, timeout=60)
    return None if _wait(5432) else "PostgreSQL did not start"


def stop_postgresql() -> None:
    """Stop the local cluster (fault tests)."""
    version = sorted(os.path.basename(p) for p in glob.glob("/etc/postgresql/*"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast"],
                   capture_output=True, timeout=60)


def ensure_redis() -> str | None:
    """None when Redis listens on 6379 (started if needed), else why not."""
    if _listening(6379):
        return None
    if not shutil.which("redis-server"):
        return "Redis is not installed (apt-get install redis-server)"
    os.makedirs("/var/lib/redis", exist_ok=True)
    os.makedirs("/var/log/redis", exist_ok=True)
    subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1",
                    "--port", "6379", "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
                    "--logfile", "/var/log/redis/ci.log"], capture_output=True, timeout=30)
    return None if _wait(6379) else "Redis did not start"


if __name__ == "__main__":  # `python -m tests.support.services`: what `make test` runs first
    import sys

    problems = [p for p in (ensure_postgresql(), ensure_redis()) if p]
    for problem in problems:
        print(f"services: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)
