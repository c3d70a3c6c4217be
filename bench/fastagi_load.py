"""N concurrent full complaint calls against `run_ivr.py fastagi` on PostgreSQL.

Two modes:
- flat out (default): every command is answered at once, so N calls are N bursts of commands;
  prints calls/s, errors, per-command latency p50/p99 (from our reply to the IVR's next command)
  and the server's peak memory. A stress figure: no caller talks like this.
- ``--paced``: calls as people make them. Calls arrive at ``--rate`` a second; each prompt takes
  its real length (the rendered prompts), a caller presses keys after a human delay (0.6-2.5 s
  into the prompt), a spoken complaint takes its length. Prints p50/p99 of the time from a
  caller's key (our reply carrying it) to the IVR's next command, at the peak concurrency
  reached (goal at 1,000 concurrent on 2 cores: 0 errors, p99 < 50 ms).

Run: python bench/fastagi_load.py [N] [--paced [--rate R]] [--database-url URL]

The server runs as deployed at scale: PostgreSQL, and Redis (a private redis-server) for events
and the transcription jobs, which no worker takes here: the figure is the IVR's alone.
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
from bench import support  # noqa: E402
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
    parser.add_argument("--paced", action="store_true", help="calls as people make them (see above)")
    parser.add_argument("--rate", type=float, default=15.0, help="paced: calls arriving per second")
    parser.add_argument("--speak", type=float, default=30.0, help="paced: seconds each complaint is spoken")
    parser.add_argument("--seed", type=int, default=16528, help="paced: the callers' random delays")
    options = parser.parse_args()
    support.raise_nofile()  # every call holds a socket here and one in the server
    _create_database(options.database_url)
    with support.private_redis() as redis_url:
        _run(options, redis_url)


def _run(options, redis_url: str) -> None:
    import pyrage

    from hotline import keyfiles

    var = Path(tempfile.mkdtemp())
    # With Redis every host shares one PII key and encrypts recordings to configured recipients.
    keyfiles.read_or_create(var / "pii.key", setting="pii_key_file")
    recipient = str(pyrage.x25519.Identity.generate().to_public())
    env = {**os.environ, "HOTLINE_VAR_DIR": str(var), "HOTLINE_DATABASE_URL": options.database_url,
           "HOTLINE_REDIS_URL": redis_url, "HOTLINE_AGE_RECIPIENTS": recipient,
           "HOTLINE_PII_KEY_FILE": str(var / "pii.key"), "HOTLINE_SECRET_KEY": "bench",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(ROOT / "run_ivr.py"), "init-db"], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"init-db failed: {done.stderr.strip()}")
    if options.paced:  # real prompt lengths
        done = subprocess.run([sys.executable, str(ROOT / "run_ivr.py"), "make-prompts", "--quiet"],
                              env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"make-prompts failed: {done.stderr.strip()}")
    port = support.free_port()
    log = var / "fastagi.log"
    with log.open("w") as stderr:
        server = subprocess.Popen([sys.executable, str(ROOT / "run_ivr.py"), "fastagi", "--port", str(port),
                                   "--at", "2025-01-05T10:00"], env=env, stdout=subprocess.PIPE,
                                  stderr=stderr, text=True)
    server.stdout.readline()
    latencies, errors = [], []
    cpu = support.cpu_seconds(server.pid)
    start = time.perf_counter()
    if options.paced:
        from bench import paced_calls

        report = paced_calls.run(port, options.n, options.rate, options.seed, var / "sounds",
                                 latencies, errors, options.speak)
    else:
        threads = [threading.Thread(target=one_call, args=(port, latencies, errors)) for _ in range(options.n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.perf_counter() - start
    cpu = support.cpu_seconds(server.pid) - cpu
    peak = _peak_kib(server.pid)
    server.terminate()
    stopping = time.perf_counter()
    try:
        server.wait(60)
    except subprocess.TimeoutExpired:
        errors.append("server did not stop within 60 s of SIGTERM")
        server.kill()
    stopped = time.perf_counter() - stopping
    logged = log.read_text(errors="replace").splitlines()
    problems = [line for line in logged if " ERROR " in line or " WARNING " in line]
    latencies.sort()
    if options.paced:
        print(f"paced calls: {options.n} arriving at {options.rate:g}/s, {options.speak:g} s spoken each, "
              f"peak {report.peak} at once, "
              f"{elapsed:.1f} s, errors: {len(errors)}")
        keyed = sorted(report.after_key)
        if keyed:
            p99 = keyed[min(len(keyed) - 1, int(len(keyed) * 0.99))]
            print(f"caller's key -> IVR's next command: p50 {statistics.median(keyed) * 1000:.1f} ms, "
                  f"p99 {p99 * 1000:.1f} ms, max {keyed[-1] * 1000:.1f} ms ({len(keyed)} keys; goal p99 < 50 ms)")
            for seconds, after, then in report.slowest[:5]:
                print(f"  slow: {seconds * 1000:.0f} ms after {after!r} -> {then!r}")
    print(f"calls: {options.n} concurrent, {elapsed:.1f} s, {options.n / elapsed:.1f} calls/s, errors: {len(errors)}")
    if errors:
        print(f"first error: {errors[0]}")
    if latencies:
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(f"per-command latency: p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms "
              f"({len(latencies)} commands)")
    print(f"server peak memory: {peak / 1024:.0f} MiB; server CPU {cpu:.1f} s; stopped {stopped:.1f} s after SIGTERM")
    print(f"server log: {len(problems)} warnings/errors" + (f", first: {problems[0]}" if problems else ""))
    print(f"load average: {support.load_average()}")


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
