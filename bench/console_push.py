"""Publish-to-receipt latency of live events: N Socket.IO clients on 2 console processes + Redis.

Usage: python bench/console_push.py [--clients 500] [--events 20]
Needs PostgreSQL and Redis as the tests use them; prints p50/p95/p99 in milliseconds.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--events", type=int, default=20)
    args = parser.parse_args()

    from hotline import db, events, keyfiles, migrate, reference, settings, users
    from tests.conftest import make_settings, use_settings
    from tests.console.servers import console_process, free_port, signed_in, socket_client
    from tests.support import database, services

    services.ensure_postgresql(), services.ensure_redis()
    var = Path(tempfile.mkdtemp()) / "var"
    key = var / "pii.key"
    keyfiles.read_or_create(key, setting="pii_key_file")
    url = database.create_postgresql_database()
    conf = use_settings(make_settings(var, database_url=url, redis_url=services.REDIS_URL,
                                      pii_key_file=str(key), secret_key="bench"))
    migrate.upgrade(url)
    with db.session_scope() as session:
        reference.load_into(session)
        users.create_user(session, username="agent", password="bench password 1", role="agent")
    import tests.console.conftest as fixtures
    fixtures.PASSWORD = "bench password 1"
    import tests.console.servers as servers
    servers.PASSWORD = "bench password 1"

    latencies: list[float] = []
    lock = threading.Lock()
    try:
        with console_process(conf, free_port()) as first, console_process(conf, free_port()) as second:
            sessions = {base: signed_in(base, "agent") for base in (first, second)}
            clients = []
            for n in range(args.clients):
                base = (first, second)[n % 2]
                client = socket_client(base, sessions[base])

                def on_step(data):
                    delay = time.time() - data["payload"]["sent"]
                    with lock:
                        latencies.append(delay * 1000)

                client.on("call.step", on_step, namespace="/live")
                client.call("sync", None, namespace="/live", timeout=30)
                clients.append(client)
            for n in range(args.events):
                events.publish(events.Event("call.step", call_id=n, payload={"seq": n, "sent": time.time()}))
                time.sleep(0.2)
            deadline = time.monotonic() + 30
            while len(latencies) < args.clients * args.events and time.monotonic() < deadline:
                time.sleep(0.1)
            for client in clients:
                client.disconnect()
    finally:
        db.dispose()
        database.drop_postgresql_database(url)
    got = sorted(latencies)
    if not got:
        print("no event arrived")
        return 1
    q = statistics.quantiles(got, n=100)
    print(f"clients={args.clients} events={args.events} received={len(got)}/{args.clients * args.events}")
    print(f"publish→receipt ms: p50={q[49]:.1f} p95={q[94]:.1f} p99={q[98]:.1f} max={got[-1]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
