"""``console``: run the agent console (Flask-SocketIO on its threaded server)."""
from __future__ import annotations

import argparse

from hotline import settings


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default: console_host setting)")
    parser.add_argument("--port", type=int, help="TCP port (default: console_port setting)")


def run(args: argparse.Namespace) -> int:
    from hotline import logs
    from hotline.errors import UsageError

    conf = settings.get()
    port = conf.console_port if args.port is None else args.port
    if not 0 < port < 65536:
        raise UsageError(f"--port: not a TCP port: {port}")
    logs.setup(conf)
    from agent_console import create_app

    app = create_app(conf)
    socketio = app.extensions["shakwa.live"]
    host = args.host or conf.console_host
    print(f"console listening on http://{host}:{port}", flush=True)
    # The threaded server serves WebSockets through simple-websocket; behind nginx use gunicorn
    # (docs/deploy.md).
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False,
                 log_output=False)
    return 0
