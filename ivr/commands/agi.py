"""``run_ivr.py agi``: one call on stdin/stdout, as Asterisk's AGI(run_ivr.py,agi) forks it.

A forked process must speak at once: it answers and begins the welcome (``--greet``, which
``render-dialplan`` writes into the AGI wrapper with the prompt's absolute path) before it
imports the settings, SQLAlchemy or the models, which then load while the caller listens.
Nothing goes to stderr: Asterisk logs a script's stderr as errors, so the log goes to
<var_dir>/log/ivr.log.
"""
from __future__ import annotations

import sys
from types import SimpleNamespace

# The options when none are given: `run_ivr.py agi` then starts without argparse (hotline/cli.py).
NO_OPTIONS = SimpleNamespace(at=None, greet=None, greet_keys="", greet_step="")
_FAST = {"--greet": "greet", "--greet-keys": "greet_keys", "--greet-step": "greet_step"}


def configure(parser) -> None:
    parser.add_argument("--at", metavar="ISO", help="pretend it is this time (office hours in tests and demos)")
    parser.add_argument("--greet", metavar="PATH", help="prompt to play the moment the call is answered "
                        "(absolute, no extension; render-dialplan writes it)")
    parser.add_argument("--greet-keys", default="", metavar="KEYS", help="keys that answer the greeting")
    parser.add_argument("--greet-step", default="", metavar="STEP", help="the menu step the greeting belongs to")


def fast_options(argv: list[str]) -> SimpleNamespace | None:
    """The options of ``agi --greet PATH --greet-keys KEYS --greet-step STEP`` without argparse (~10 ms);
    None for anything else (argparse then reads it and reports what is wrong)."""
    if len(argv) % 2 or any(name not in _FAST for name in argv[::2]):
        return None
    options = SimpleNamespace(**vars(NO_OPTIONS))
    for name, value in zip(argv[::2], argv[1::2]):
        setattr(options, _FAST[name], value)
    return options


def run(args) -> int:
    from ivr.agi import Channel
    from ivr.errors import CallerHungUp

    try:
        channel = Channel(sys.stdin.buffer, sys.stdout.buffer, handle_sighup=True)
        channel.answer()
        if args.greet:
            if args.greet_step:
                channel.set_step(args.greet_step)
            channel.begin_stream(args.greet, args.greet_keys)
    except CallerHungUp:
        return 0
    from hotline import jobs, settings
    from ivr import clock, logfile
    from ivr.call import system_clock
    from ivr.engine import fail_over, run_call

    try:
        conf = settings.get()
        logfile.setup(conf, "ivr.log")
        jobs.enqueue_only()  # this process ends with the call: its jobs wait in the database
        now = clock.parse_at(args.at, conf.timezone) or system_clock
    except Exception:
        fail_over(channel)  # a bad setting must not leave the caller in dead air
        raise
    run_call(channel, mode="agi", clock=now, answered=True, greeted=bool(args.greet))
    return 0
