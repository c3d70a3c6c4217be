"""``run_ivr.py fastagi``: serve calls over FastAGI until SIGTERM (calls in progress finish)."""
from __future__ import annotations

import signal
import threading


REPLAY_SECONDS = 30  # how often calls journaled during a database outage are retried


def configure(parser) -> None:
    parser.add_argument("--host", help="address to listen on (default: setting fastagi_host)")
    parser.add_argument("--port", type=int, help="TCP port (default: setting fastagi_port)")
    parser.add_argument("--at", metavar="ISO", help="pretend it is this time (office hours in tests and demos)")


def run(args) -> int:
    from hotline import jobs, logs, periodic, settings
    from hotline.errors import UsageError
    from ivr import clock, handoff, replay
    from ivr.call import system_clock
    from ivr.fastagi_server import Server
    from ivr.menu import load

    conf = settings.get()
    logs.setup(conf)
    load()  # a broken menu.yaml stops start-up, not the first call
    handoff.check_ready()
    now = clock.parse_at(args.at, conf.timezone) or system_clock
    host = args.host or conf.fastagi_host
    port = args.port if args.port is not None else conf.fastagi_port
    if not 0 <= port < 65536:
        raise UsageError(f"--port: not a TCP port: {port}")
    try:
        server = Server(host, port, now)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server.start()
    periodic.start(REPLAY_SECONDS, replay.run, "journal replay", stop)
    jobs.start_pickup(stop)  # embedded: also the jobs classic-AGI calls left in the database
    print(f"fastagi: listening on {host}:{server.server_address[1]}", flush=True)
    stop.wait()
    print("fastagi: stopping; waiting for calls in progress", flush=True)
    server.stop()
    return 0
