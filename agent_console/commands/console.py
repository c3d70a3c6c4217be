"""``console``: run the agent console (Flask-SocketIO on gevent's WSGI server, or threads)."""
from __future__ import annotations

import argparse

from hotline import settings

SERVERS = ("gevent", "threading")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default: console_host setting)")
    parser.add_argument("--port", type=int, help="TCP port (default: console_port setting)")
    parser.add_argument("--server", choices=SERVERS, default="gevent",
                        help="gevent: one event loop serves every WebSocket (production, "
                             "docs/deploy.md); threading: Werkzeug, one thread per WebSocket")


def run(args: argparse.Namespace) -> int:
    from hotline.errors import UsageError

    conf = settings.get()
    port = conf.console_port if args.port is None else args.port
    if not 0 < port < 65536:
        raise UsageError(f"--port: not a TCP port: {port}")
    if args.server == "gevent":
        use_gevent()
    from hotline import logs

    logs.setup(conf)
    from agent_console import create_app
    from agent_console.whatsapp import sweeper

    app = create_app(conf)
    sweeper.start()
    from hotline import loop_sweep

    loop_sweep.start()  # surveys by SMS and WhatsApp, silence, the escalation ladder (issue 18)
    from hotline import jobs

    jobs.start_pickup()  # embedded: run the jobs classic-AGI calls left in the database
    socketio = app.extensions["shakwa.live"]
    host = args.host or conf.console_host
    print(f"console listening on http://{host}:{port} ({socketio.async_mode})", flush=True)
    # gevent: gevent's pywsgi server, WebSockets through simple-websocket. threading: Werkzeug's
    # development server, one thread per WebSocket (about 4 times the CPU per pushed event,
    # docs/performance.md).
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False,
                 log_output=False)
    return 0


def use_gevent() -> None:
    """Let gevent patch the standard library, before Flask, Socket.IO, Redis or the database
    driver is imported: their sockets, locks, threads and sleeps become gevent's, so a request
    waiting on PostgreSQL or Redis never stops the others. psycopg 3 (3.1.14 and later) sees the
    patch when it is imported and waits through gevent's select; SQLite calls stay blocking but
    short. ``create_app`` then picks Flask-SocketIO's gevent mode (agent_console.async_mode)."""
    from gevent import monkey

    monkey.patch_all()
