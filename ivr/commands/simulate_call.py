"""``run_ivr.py simulate-call``: one call through the IVR with scripted keys and a WAV, as JSON.

By default the IVR runs in this process; ``--process`` forks ``run_ivr.py agi`` as Asterisk does,
``--fastagi HOST:PORT`` calls a running FastAGI server.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def configure(parser) -> None:
    parser.add_argument("--keys", default="", help='keypad input, one token per question: "1 1 1 1 29001011234567# 1 3"'
                        " (- = no key, ! = hang up)")
    parser.add_argument("--audio", type=Path, help="WAV file the caller says when recording")
    parser.add_argument("--caller", default="01001234567", help="calling number (empty: withheld)")
    parser.add_argument("--hangup-at", metavar="STEP", help="hang up during this step (or prompt)")
    parser.add_argument("--fastagi", metavar="HOST:PORT", help="call a running fastagi server")
    parser.add_argument("--process", action="store_true", help="fork 'run_ivr.py agi' (classic AGI)")
    parser.add_argument("--at", metavar="ISO", help="pretend it is this time (office hours)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args) -> int:
    from hotline import settings
    from hotline.errors import UsageError
    from ivr import clock, handoff, testing

    conf = settings.get()
    if args.audio is not None and not args.audio.is_file():
        raise UsageError(f"--audio: no such file: {args.audio}")
    try:
        sim = testing.fake_asterisk(args.keys, network=not args.process, caller=args.caller,
                                    audio=args.audio, hangup_at=args.hangup_at,
                                    sounds_dir=conf.sounds_dir.parent)
    except ValueError as exc:
        raise UsageError(f"--keys: {exc}") from None
    now = clock.parse_at(args.at, conf.timezone)
    if args.fastagi:
        host, _, port = args.fastagi.rpartition(":")
        if not host or not port.isdigit():
            raise UsageError(f"--fastagi: expected HOST:PORT, got {args.fastagi!r}")
        try:
            testing.run_fastagi(sim, host, int(port))
        except OSError as exc:
            raise UsageError(f"--fastagi: cannot reach {args.fastagi}: {exc.strerror or exc}") from None
    elif args.process:
        extra = ["--at", args.at] if args.at else []
        outcome = testing.run_process(sim, [sys.executable, str(ROOT / "run_ivr.py"), "agi", *extra])
        if outcome.returncode:
            print(outcome.stderr.strip(), file=sys.stderr)
    else:
        handoff.check_ready()
        testing.run_in_process(sim, clock=now)
    report = summary(sim)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"call {report['call_id']}: {' > '.join(report['steps'])}; "
              f"complaint {report['case_number'] or '-'}; "
              f"{'hung up' if report['hung_up'] else report['outcome']}")
    return 0


def summary(sim) -> dict:
    """What the call did, from the fake channel and the database."""
    from sqlalchemy import select

    from hotline import db
    from hotline.models import Call, Case

    with db.session_scope() as session:
        call = session.scalar(select(Call).where(Call.uniqueid == sim.env["agi_uniqueid"]))
        case = session.scalar(select(Case).where(Case.call_id == call.id)) if call else None
        return {"call_id": call.id if call else None, "case_number": case.number if case else None,
                "incomplete": case.incomplete if case else None,
                "outcome": call.outcome if call else None, "steps": sim.steps,
                "prompts": sim.prompts, "said_digits": sim.said_digits,
                "hung_up": not sim.alive, "recordings": [str(p) for p in sim.recordings]}
