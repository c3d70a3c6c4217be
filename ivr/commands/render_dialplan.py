"""``run_ivr.py render-dialplan``: the Asterisk side of the hotline, from config/templates/*.j2.

Writes ``extensions.conf``, ``queues.conf`` and ``manager.conf`` to be ``#include``d from
Asterisk's own files, and ``shakwa-agi``, the script Asterisk forks for each classic-AGI call:
Asterisk's working directory and environment are not the project's, so the wrapper names the
virtual environment's Python, the settings file (absolute) and the welcome prompt by path.
"""
from __future__ import annotations

import secrets
import shlex
import sys
from pathlib import Path

FILES = ("extensions.conf", "queues.conf", "manager.conf")
WRAPPER = "shakwa-agi"
RUNNER = "shakwa-run"  # any other command Asterisk runs (seal-agent-call after a queue call)
ROOT = Path(__file__).resolve().parents[2]
# What an included manager.conf cannot set: Asterisk keeps the first [general] it reads.
MANAGER_GENERAL = "enabled = yes, bindaddr = {host}, port = {port}"


def configure(parser) -> None:
    parser.add_argument("--output", type=Path, default=Path("asterisk"), help="folder to write into")
    parser.add_argument("--context", default="hotline", help="dialplan context of the 16528 number")
    parser.add_argument("--config", type=Path, help="settings file the AGI wrapper uses "
                        "(default: the HOTLINE_CONFIG of this command)")
    parser.add_argument("--python", default=sys.executable, help="Python the AGI wrapper runs "
                        "(default: this one, i.e. the project's virtual environment)")
    parser.add_argument("--script", help="path Asterisk runs for classic AGI (default: the "
                        f"{WRAPPER} wrapper written into --output)")
    parser.add_argument("--ami-user", help="AMI user name (default: setting ami_username)")
    parser.add_argument("--ami-secret", help="AMI secret (default: setting ami_secret, else a new random one)")
    parser.add_argument("--ami-permit", default="127.0.0.1/255.255.255.255")
    parser.add_argument("--fastagi-fallback", metavar="HOST:PORT",
                        help="a second FastAGI server for 16529 (default: fall back to process-mode AGI)")


def _host_port(value: str | None) -> str | None:
    from hotline.errors import UsageError

    if not value:
        return None
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536 or any(c in host for c in "/,() "):
        raise UsageError(f"--fastagi-fallback: expected HOST:PORT, got {value!r}")
    return f"{host}:{port}"


def wrapper_text(python: str, config: Path | None, arguments: str) -> str:
    """A shell script Asterisk runs: ``run_ivr.py ARGUMENTS`` with everything absolute."""
    lines = ["#!/bin/sh",
             "# Written by `run_ivr.py render-dialplan`. Asterisk runs it with its own working",
             "# directory and environment: everything here is absolute."]
    if config:
        lines.append(f"HOTLINE_CONFIG={shlex.quote(str(config))}; export HOTLINE_CONFIG")
    lines.append(f"exec {shlex.quote(python)} {shlex.quote(str(ROOT / 'run_ivr.py'))} {arguments}")
    return "\n".join(lines) + "\n"


def run(args) -> int:
    import jinja2

    from hotline import resources, settings
    from hotline.errors import UsageError
    from ivr.menu import load

    conf = settings.get()
    menu = load()
    config = (args.config or conf.config_file)
    if config is not None:
        config = config.resolve()
        if not config.is_file():
            raise UsageError(f"--config: no such file: {config}")
    output = args.output.resolve()
    script = args.script or str(output / WRAPPER)
    secret = args.ami_secret or conf.ami_secret
    prompt, keys = menu.greeting()
    greeting = conf.sounds_dir / conf.default_language / prompt
    values = {"context": args.context, "script": script, "queue": conf.queue_name,
              "failure_context": menu.failure_context, "fastagi_host": conf.fastagi_host,
              "fastagi_port": conf.fastagi_port, "ami_user": args.ami_user or conf.ami_username,
              "ami_secret": secret or secrets.token_urlsafe(18), "ami_permit": args.ami_permit,
              "fastagi_fallback": _host_port(args.fastagi_fallback),
              "technical_error": conf.sounds_dir / conf.default_language / "technical_error",
              "wrapup": conf.queue_wrapup_seconds, "record": conf.record_agent_calls,
              "spool": conf.spool_dir, "run": output / RUNNER, "sounds": conf.sounds_dir,
              "callback_seconds": conf.callback_offer_seconds,
              "callback_offer": conf.sounds_dir / conf.default_language / "callback_offer"}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(resources.config_dir() / "templates"),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    try:
        output.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            (output / name).write_text(env.get_template(f"{name}.j2").render(**values))
        greet = (f"agi --greet {shlex.quote(str(greeting))} --greet-keys {shlex.quote(keys)} "
                 f"--greet-step {shlex.quote(menu.start)}")
        for name, arguments in ((WRAPPER, greet), (RUNNER, '"$@"')):
            if name == WRAPPER and args.script:
                continue
            wrapper = output / name
            wrapper.write_text(wrapper_text(args.python, config, arguments))
            wrapper.chmod(0o755)
    except OSError as exc:
        raise UsageError(f"--output: cannot write {output}: {exc.strerror}") from None
    written = [*FILES] + ([] if args.script else [WRAPPER]) + [RUNNER]
    print(f"render-dialplan: wrote {', '.join(written)} in {output}")
    for line in _notes(conf, config, secret):
        print(f"render-dialplan: {line}")
    return 0


def _notes(conf, config: Path | None, secret: str) -> list[str]:
    """What the deployer must do by hand, in the order they meet it."""
    notes = [f"in Asterisk's own manager.conf, [general] must say {MANAGER_GENERAL.format(host=conf.ami_host, port=conf.ami_port)} "
             "(an included file's [general] is ignored); then #include the files written here"]
    if conf.from_environment:
        names = ", ".join(f"HOTLINE_{key.upper()}" for key in conf.from_environment)
        notes.append(f"{names} set in this shell are not seen by Asterisk's AGI processes: put them "
                     f"in the settings file{f' {config}' if config else ' (HOTLINE_CONFIG)'}")
    if config is None:
        notes.append("no settings file: the AGI wrapper runs on the built-in defaults, with var_dir "
                     "relative to Asterisk's working directory; name one with --config")
    notes.append(f"if Asterisk runs as user asterisk, it must own (read and write) {conf.var_dir} "
                 f"(database, journal, logs), {conf.spool_dir} (recordings before encryption) and "
                 f"read {conf.sounds_dir}, {conf.pii_key_file} and the settings file; it never needs "
                 "the age identity (playback hosts only)")
    if not secret:  # the bridge logs in with the setting: the two must match
        notes.append("ami_secret is not set: copy the secret in manager.conf to the setting ami_secret "
                     "for `run_ivr.py ami`")
    return notes
