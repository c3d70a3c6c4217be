"""Publish-to-receipt latency of live events: N Socket.IO clients on 2+ console processes + Redis.

Usage: python bench/console_push.py [--clients 500] [--events 20] [--consoles 2] [--procs 2]
       [--server gevent|threading|gunicorn]
Needs PostgreSQL and Redis as the tests use them; prints connect times, p50/p95/p99 in ms, the CPU
each console and client process used while the events went out, and the load average.

The consoles run as docs/deploy.md deploys them (``run_ivr.py console``: gevent); ``threading``
is the same command on Werkzeug's threads, ``gunicorn`` gunicorn's gevent worker. The clients
are python-socketio ``AsyncClient``s, WebSocket only (no long-polling handshake), connected in
batches, spread over ``--procs`` client processes (one event loop each: 500 clients on one loop
would measure that loop's queue, about 60 µs per receipt); events are published only once every
client has answered the console's ``sync`` call, i.e. has joined its rooms.
"""
from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import support  # noqa: E402
PASSWORD = "bench password 1"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--consoles", type=int, default=2, help="console processes (2 or more)")
    parser.add_argument("--batch", type=int, default=50, help="clients connecting at once (per process)")
    parser.add_argument("--procs", type=int, default=2,
                        help="client processes (one event loop each; a browser is its own process)")
    parser.add_argument("--server", choices=("gevent", "threading", "gunicorn"), default="gevent",
                        help="run_ivr.py console on gevent (the default, docs/deploy.md) or on "
                             "threads, or gunicorn's gevent worker")
    args = parser.parse_args()
    if args.consoles < 2 or args.clients < 1 or args.events < 1 or args.procs < 1:
        parser.error("need --consoles 2 or more, and at least 1 client, event and client process")
    support.raise_nofile()

    from hotline import db, keyfiles, migrate, reference, users
    from tests.conftest import make_settings, settings_environ, use_settings
    from tests.support import database, services

    services.ensure_postgresql()
    var = Path(tempfile.mkdtemp()) / "var"
    key = var / "pii.key"
    keyfiles.read_or_create(key, setting="pii_key_file")
    url = database.create_postgresql_database()
    try:
        with support.private_redis() as redis_url:
            conf = use_settings(make_settings(var, database_url=url, redis_url=redis_url,
                                              pii_key_file=str(key), secret_key="bench"))
            migrate.upgrade(url)
            with db.session_scope() as session:
                reference.load_into(session)
                users.create_user(session, username="agent", password=PASSWORD, role="agent")
            env = {**settings_environ(conf), "HOTLINE_CONSOLE_SECURE_COOKIES": "false"}
            result = _measure(env, args, var)
    finally:
        db.dispose()
        database.drop_postgresql_database(url)
    return _report(result, args)


def _measure(env: dict, args, var: Path) -> dict:
    """``--consoles`` console processes on the bench's Redis, signed in, then the clients and the
    events; the clients are spread evenly over the consoles (as ip_hash spreads browsers)."""
    from tests.console.servers import signed_in

    with ExitStack() as stack:
        consoles = [stack.enter_context(_console(env, support.free_port(), args, var / f"console-{n}.log"))
                    for n in range(1, args.consoles + 1)]
        sessions = {base: signed_in(base, "agent", PASSWORD) for base, _pid in consoles}
        return _run(sessions, args, tuple(pid for _base, pid in consoles))


def _run(sessions: dict, args, pids: tuple) -> dict:
    """Start the client processes, publish once all joined, gather their timings."""
    import multiprocessing

    from hotline import events

    # Flask-Login's strong session protection binds the session to the User-Agent.
    headers = {base: {"Cookie": "; ".join(f"{c.name}={c.value}" for c in http.cookies),
                      "User-Agent": http.headers["User-Agent"]} for base, http in sessions.items()}
    context = multiprocessing.get_context("spawn")
    pipes, procs = [], []
    for k in range(args.procs):
        mine, theirs = context.Pipe()
        indices = list(range(k, args.clients, args.procs))
        proc = context.Process(target=_client_process, args=(theirs, headers, indices, args.events, args.batch))
        proc.start()
        pipes.append(mine), procs.append(proc)
    started = time.perf_counter()
    ready = [pipe.recv() for pipe in pipes]
    connected_s = time.perf_counter() - started
    # Not timed: the publisher's first event opens its Redis connections.
    events.publish(events.Event("call.step", call_id=0, payload={"seq": -1, "sent": time.time()}))
    time.sleep(0.5)
    cpu_before = [support.cpu_seconds(pid) for pid in pids], time.perf_counter()
    for pipe in pipes:
        pipe.send("go")
    for n in range(args.events):
        events.publish(events.Event("call.step", call_id=n, payload={"seq": n, "sent": time.time()}))
        time.sleep(0.2)
    results = [pipe.recv() for pipe in pipes]
    cpu = {"consoles": [support.cpu_seconds(pid) - before for pid, before in zip(pids, cpu_before[0])],
           "clients": [r["cpu"] for r in results], "wall": time.perf_counter() - cpu_before[1]}
    for proc in procs:
        proc.join()
    by_event = {n: [d for r in results for d in r["by_event"][n]] for n in range(args.events)}
    joined = sum(r[0] for r in ready)
    return {"latencies": [d for v in by_event.values() for d in v], "joined": joined,
            "failures": [f for r in ready for f in r[1]], "connected_s": connected_s,
            "expected": joined * args.events, "cpu": cpu,
            "first": [min(v) for v in by_event.values() if v], "last": [max(v) for v in by_event.values() if v]}


def _client_process(pipe, headers: dict, indices: list[int], events: int, batch: int) -> None:
    """One client process: its share of the clients on one event loop; timings back on ``pipe``."""
    support.raise_nofile()
    pipe.send(asyncio.run(_clients(pipe, headers, indices, events, batch)))


async def _clients(pipe, headers: dict, indices: list[int], events: int, batch: int) -> dict:
    """Connect (WebSocket only, in batches), sync, report ready, then count the events received."""
    import socketio

    bases = list(headers)
    by_event: dict[int, list[float]] = {n: [] for n in range(events)}
    clients: list = []
    failures: list[str] = []

    async def on_step(data):
        if data["payload"]["seq"] < 0:  # the publisher's warm-up
            return
        by_event[data["payload"]["seq"]].append((time.time() - data["payload"]["sent"]) * 1000)

    async def connect(n: int) -> None:
        base = bases[n % len(bases)]
        client = socketio.AsyncClient(reconnection=False)
        client.on("call.step", on_step, namespace="/live")
        try:
            # A copy: the client takes the Cookie header out of the dict it is given.
            await client.connect(base, namespaces=["/live"], headers=dict(headers[base]),
                                 transports=["websocket"], wait_timeout=60)
            # The answer to sync means the console has run on_connect: the rooms are joined.
            await client.call("sync", None, namespace="/live", timeout=60)
            clients.append(client)
        except Exception as exc:  # counted: the figure is how many could not join
            failures.append(f"{type(exc).__name__}: {exc}")
            await client.disconnect()

    for first in range(0, len(indices), batch):
        await asyncio.gather(*(connect(n) for n in indices[first:first + batch]))
    pipe.send((len(clients), failures))
    await asyncio.to_thread(pipe.recv)
    cpu = time.process_time()
    deadline = time.monotonic() + 30 + events * 0.2
    while sum(map(len, by_event.values())) < len(clients) * events and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    cpu = time.process_time() - cpu
    await asyncio.gather(*(client.disconnect() for client in clients), return_exceptions=True)
    return {"by_event": by_event, "cpu": cpu}


def _report(result: dict, args) -> int:
    joined, failures = result["joined"], result["failures"]
    print(f"server={args.server} consoles={args.consoles} client processes={args.procs} "
          f"clients={args.clients} joined={joined} failed={len(failures)} "
          f"all joined in {result['connected_s']:.1f} s ({joined / result['connected_s']:.0f} clients/s)")
    if failures:
        print(f"first failure: {failures[0]}")
    got = sorted(result["latencies"])
    print(f"events={args.events} received={len(got)}/{result['expected']}")
    if len(got) < 2:
        print("too few events arrived")
        return 1
    q = statistics.quantiles(got, n=100)
    print(f"publish→receipt ms: p50={q[49]:.1f} p95={q[94]:.1f} p99={q[98]:.1f} max={got[-1]:.1f}")
    print(f"per event, median over events: first client {statistics.median(result['first']):.1f} ms, "
          f"last client {statistics.median(result['last']):.1f} ms; "
          f"per event, last client: {' '.join(f'{x:.0f}' for x in result['last'])}")
    cpu = result["cpu"]
    print(f"CPU while publishing ({cpu['wall']:.1f} s wall): consoles "
          + " + ".join(f"{c:.1f}" for c in cpu["consoles"]) + " s, client processes "
          + " + ".join(f"{c:.1f}" for c in cpu["clients"]) + " s")
    print(f"load average: {support.load_average()}")
    return 0


@contextmanager
def _console(env: dict, port: int, args, log: Path):
    """One console process on ``port`` until the block ends; its output goes to ``log``."""
    from tests.console import servers

    if args.server == "gunicorn":
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
        if gunicorn is None:
            raise SystemExit("--server gunicorn: gunicorn is not installed (pip install gunicorn)")
        # One worker (a Socket.IO session lives in one process), gevent: one loop for every socket.
        command = [gunicorn, "-k", "gevent", "-w", "1", "--worker-connections", str(args.clients + 100),
                   "-b", f"127.0.0.1:{port}", "--backlog", "2048", "agent_console:create_app()"]
    else:
        command = [sys.executable, str(ROOT / "run_ivr.py"), "console", "--host", "127.0.0.1",
                   "--port", str(port), "--server", args.server]
    with log.open("w") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            servers.wait_serving(proc, base, log)
        except RuntimeError as exc:
            raise SystemExit(f"console did not start: {exc}") from None
        yield base, proc.pid
    finally:
        servers.stop_console(proc)


if __name__ == "__main__":
    sys.exit(main())
