"""N concurrent full complaint calls against `run_ivr.py fastagi` on PostgreSQL.

Prints calls/s, errors, per-command latency p50/p99 (from our reply to the IVR's next command)
and the server's peak memory. Run: python bench/fastagi_load.py [N] [--database-url URL]
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KEYS = "1 1 1 1 29001011234567# 1 3"


def one_call(port: int, latencies: list, errors: list) -> None:
    from ivr import testing

    sim = testing.fake_asterisk(KEYS)
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=300)
        reader = sock.makefile("rb")
        sent = [0.0]

        def read_line():
            line = reader.readline()
            if sent[0] and line:
                latencies.append(time.perf_counter() - sent[0])
            return line

        def write(data):
            sock.sendall(data)
            sent[0] = time.perf_counter()

        def half_close():
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:  # the server closed first
                pass

        testing.drive(sim, read_line, write, lambda: None, half_close)
        sock.close()
        if sim.steps[-1:] != ["goodbye"]:
            errors.append(f"call ended in {sim.steps[-1:]}")
    except Exception as exc:  # counted, not raised: the figure is how many fail
        errors.append(repr(exc))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/shakwa_bench")
    options = parser.parse_args()
    var = tempfile.mkdtemp()
    env = {**os.environ, "HOTLINE_VAR_DIR": var, "HOTLINE_DATABASE_URL": options.database_url,
           "PYTHONPATH": str(ROOT)}
    _create_database(options.database_url)
    subprocess.run([sys.executable, str(ROOT / "run_ivr.py"), "init-db"], env=env, check=True,
                   capture_output=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, str(ROOT / "run_ivr.py"), "fastagi", "--port", str(port),
                               "--at", "2025-01-05T10:00"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    server.stdout.readline()
    latencies, errors = [], []
    threads = [threading.Thread(target=one_call, args=(port, latencies, errors)) for _ in range(options.n)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    peak = _peak_kib(server.pid)
    server.terminate()
    try:
        server.wait(60)
    except subprocess.TimeoutExpired:
        errors.append("server did not stop within 60 s of SIGTERM")
        server.kill()
    latencies.sort()
    print(f"calls: {options.n} concurrent, {elapsed:.1f} s, {options.n / elapsed:.1f} calls/s, errors: {len(errors)}")
    if errors:
        print(f"first error: {errors[0]}")
    if latencies:
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(f"per-command latency: p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms "
              f"({len(latencies)} commands)")
    print(f"server peak memory: {peak / 1024:.0f} MiB")


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _create_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url).set(drivername="postgresql+psycopg")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


if __name__ == "__main__":
    main()
