"""``run_ivr.py render-dialplan``: config/templates/*.j2 → extensions.conf, queues.conf, manager.conf."""
from __future__ import annotations

import secrets
from pathlib import Path

FILES = ("extensions.conf", "queues.conf", "manager.conf")
ROOT = Path(__file__).resolve().parents[2]


def configure(parser) -> None:
    parser.add_argument("--output", type=Path, default=Path("asterisk"), help="folder to write into")
    parser.add_argument("--context", default="hotline", help="dialplan context of the 16528 number")
    parser.add_argument("--script", default=str(ROOT / "run_ivr.py"), help="path Asterisk runs for AGI")
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


def run(args) -> int:
    import jinja2

    from hotline import resources, settings
    from hotline.errors import UsageError
    from ivr.menu import load

    conf = settings.get()
    secret = args.ami_secret or conf.ami_secret
    values = {"context": args.context, "script": args.script, "queue": conf.queue_name,
              "failure_context": load().failure_context, "fastagi_host": conf.fastagi_host,
              "fastagi_port": conf.fastagi_port, "ami_user": args.ami_user or conf.ami_username,
              "ami_secret": secret or secrets.token_urlsafe(18), "ami_bind": conf.ami_host,
              "ami_port": conf.ami_port, "ami_permit": args.ami_permit,
              "fastagi_fallback": _host_port(args.fastagi_fallback),
              "technical_error": conf.sounds_dir / conf.default_language / "technical_error"}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(resources.config_dir() / "templates"),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    try:
        args.output.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            (args.output / name).write_text(env.get_template(f"{name}.j2").render(**values))
    except OSError as exc:
        raise UsageError(f"--output: cannot write {args.output}: {exc.strerror}") from None
    print(f"render-dialplan: wrote {', '.join(FILES)} in {args.output}")
    if not secret:  # the bridge logs in with the setting: the two must match
        print("render-dialplan: ami_secret is not set: copy the secret in manager.conf to the setting "
              "ami_secret for `run_ivr.py ami`")
    return 0
