"""The one command dispatcher behind ``python run_ivr.py <command>``.

Only the chosen command's module is imported, and ``agi`` with no options (what Asterisk forks
for every call) skips argparse, so it starts fast. Errors a user can act on
print one line and exit non-zero; anything unexpected is logged with its traceback to
<var_dir>/log/errors.log and reported in one line.
"""
from __future__ import annotations

import importlib
import sys

import hotline

PROG = "run_ivr.py"

# name -> (module with configure(parser) and run(args), one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "agi": ("ivr.commands.agi", "answer one call on stdin/stdout, as Asterisk's AGI(run_ivr.py,agi) runs it"),
    "fastagi": ("ivr.commands.fastagi", "serve calls over FastAGI (TCP, default 127.0.0.1:4573)"),
    "replay": ("ivr.commands.replay", "apply calls journaled during a database outage (process-mode AGI hosts)"),
    "console": ("agent_console.commands.console", "run the agent console web app"),
    "worker": ("transcription.commands.worker", "run transcription workers"),
    "ami": ("ivr.commands.ami", "bridge Asterisk AMI queue events to the console"),
    "demo": ("hotline.commands.demo", "run the whole system on embedded defaults with simulated calls"),
    "simulate-call": ("ivr.commands.simulate_call", "drive one call through the IVR with scripted keys and audio"),
    "init-db": ("hotline.commands.init_db", "create or upgrade the database and load reference data"),
    "create-user": ("hotline.commands.create_user", "create a console user"),
    "render-dialplan": ("ivr.commands.render_dialplan", "write Asterisk extensions.conf, queues.conf and manager.conf"),
    "make-prompts": ("ivr.commands.make_prompts", "render the IVR prompts to 8 kHz WAV with espeak-ng"),
    "keys": ("recordings.commands.keys", "generate, rotate and check the recordings' age keys"),
    "purge": ("recordings.commands.purge", "delete recordings past retention; retry pending encryptions"),
    "seal-agent-call": ("recordings.commands.seal_agent_call", "encrypt an agent's call recorded by the queue into the vault (Asterisk runs it)"),
    "audit": ("hotline.commands.audit", "verify the audit trail's hash chain"),
    "open311-key": ("agent_console.commands.open311_key", "issue an Open311 API key for an entity's own system"),
    "import-units": ("hotline.commands.import_units", "import local units (markaz, district, village) from CSV"),
}


def _parser(**options):
    """An argparse parser that reports a bad option in one line and exits 2."""
    import argparse  # here, not at the top: `agi` never needs it (bench/agi_start.py)

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # noqa: D401 - argparse API
            self.exit(2, f"{self.prog}: error: {message}\n")

    return Parser(**options)


def _top_parser():
    import argparse

    width = max(map(len, COMMANDS))
    listing = "\n".join(f"  {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items())
    parser = _parser(prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
                     description="Shakwa — the 16528 complaints hotline toolkit.",
                     epilog=f"commands:\n{listing}\n\n'{PROG} <command> --help' shows a command's options.")
    parser.add_argument("--version", action="version", version=f"shakwa {hotline.__version__}")
    parser.add_argument("--config", metavar="FILE", help="settings file (same as HOTLINE_CONFIG)")
    parser.add_argument("command", nargs="?", metavar="command")
    parser.add_argument("args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["agi"]:  # Asterisk forks this for every call: no argparse (bench/agi_start.py)
        module = importlib.import_module(COMMANDS["agi"][0])
        options = module.fast_options(argv[1:])
        if options is not None:
            return _run(module, options, None)
    top = _top_parser()
    options = top.parse_args(argv)
    if options.command is None:
        top.print_help()
        return 2
    if options.command not in COMMANDS:
        top.error(f"unknown command {options.command!r} (see '{PROG} --help')")
    module_name, text = COMMANDS[options.command]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            print(f"{PROG}: error: command {options.command!r} is not part of this build yet",
                  file=sys.stderr)
            return 2
        raise
    parser = _parser(prog=f"{PROG} {options.command}", description=text)
    module.configure(parser)
    args = parser.parse_args(options.args)
    return _run(module, args, options.config)


def _run(module, args, config_file: str | None) -> int:
    from hotline.errors import HotlineError

    try:
        if config_file:
            import os

            from hotline import settings  # only here: `agi` must start fast (bench/agi_start.py)

            settings.install(settings.load({**os.environ, settings.CONFIG_ENV: config_file}))
        return int(module.run(args) or 0)
    except HotlineError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a user never sees a traceback; the log keeps it
        return _internal_error(exc)


def _internal_error(exc: Exception) -> int:
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, OperationalError):
        print(f"{PROG}: error: database unavailable: {exc.orig}".splitlines()[0], file=sys.stderr)
        return 1
    where = _log_traceback()
    print(f"{PROG}: internal error: {type(exc).__name__}: {exc}".splitlines()[0]
          + (f" (details in {where})" if where else ""), file=sys.stderr)
    return 1


def _log_traceback() -> str | None:
    import os
    import traceback

    try:
        from hotline import redaction, settings

        path = settings.get().var_dir / "log" / "errors.log"
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Private, and with identities masked: an exception's message can quote a row.
        with open(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "a",
                  encoding="utf-8") as handle:
            handle.write(redaction.redact(traceback.format_exc()) + "\n")
        return str(path)
    except Exception:
        return None
