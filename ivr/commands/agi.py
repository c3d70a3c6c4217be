"""``run_ivr.py agi``: one call on stdin/stdout, as Asterisk's AGI(run_ivr.py,agi) forks it.

The channel is answered before the heavy modules (SQLAlchemy, the models) are imported, so the
caller hears the IVR as soon as Asterisk starts the script. Nothing goes to stderr: Asterisk
logs a script's stderr as errors, so the log goes to <var_dir>/log/ivr.log.
"""
from __future__ import annotations

import sys
from types import SimpleNamespace

# The options when none are given: `run_ivr.py agi` then starts without argparse (hotline/cli.py).
NO_OPTIONS = SimpleNamespace(at=None)


def configure(parser) -> None:
    parser.add_argument("--at", metavar="ISO", help="pretend it is this time (office hours in tests and demos)")


def run(args) -> int:
    from ivr.agi import Channel
    from ivr.errors import CallerHungUp

    try:
        channel = Channel(sys.stdin.buffer, sys.stdout.buffer, handle_sighup=True)
        channel.answer()
    except CallerHungUp:
        return 0
    from hotline import settings
    from ivr import clock, logfile
    from ivr.call import system_clock
    from ivr.engine import fail_over, run_call

    try:
        conf = settings.get()
        logfile.setup(conf, "ivr.log")
        now = clock.parse_at(args.at, conf.timezone) or system_clock
    except Exception:
        fail_over(channel)  # a bad setting must not leave the caller in dead air
        raise
    run_call(channel, mode="agi", clock=now, answered=True)
    return 0
