"""``run_ivr.py ami``: bridge Asterisk's AMI queue events to the console until SIGTERM."""
from __future__ import annotations

import signal


def configure(parser) -> None:
    parser.add_argument("--host", help="Asterisk's AMI address (default: setting ami_host)")
    parser.add_argument("--port", type=int, help="AMI TCP port (default: setting ami_port)")
    parser.add_argument("--hangup-grace", type=float, default=5.0, metavar="SECONDS",
                        help="how long a Hangup waits for the IVR to announce the call's end itself")


def run(args) -> int:
    from hotline import logs, settings
    from hotline.errors import SettingsError, UsageError
    from ivr.ami import Bridge

    conf = settings.get()
    logs.setup(conf)
    if not conf.ami_secret:
        raise SettingsError("ami_secret: not set; give the secret of the AMI user in manager.conf "
                            "(render-dialplan writes that user)")
    host = args.host or conf.ami_host
    port = args.port if args.port is not None else conf.ami_port
    if not 0 < port < 65536:
        raise UsageError(f"--port: not a TCP port: {port}")
    if args.hangup_grace < 0:
        raise UsageError(f"--hangup-grace: must not be negative: {args.hangup_grace}")
    bridge = Bridge(host, port, conf.ami_username, conf.ami_secret, hangup_grace=args.hangup_grace)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: bridge.stop())
    print(f"ami: bridging {host}:{port} as {conf.ami_username}", flush=True)
    bridge.run()
    print("ami: stopped", flush=True)
    return 0
