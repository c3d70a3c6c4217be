"""``run_ivr.py seal-agent-call``: an agent's call, recorded by Asterisk's queue, into the vault.

Asterisk's queue records the conversation from the moment an agent answers (MixMonitor, started
by ``monitor-format`` in queues.conf) and runs this command when the recording is over (the
dialplan sets ``MONITOR_EXEC``). The file is encrypted like the IVR's recordings, linked to the
call, its case and the agent, and its plaintext removed; reviewers then find it on the case.
"""
from __future__ import annotations

from pathlib import Path


def configure(parser) -> None:
    parser.add_argument("file", type=Path, help="the WAV file MixMonitor wrote")
    parser.add_argument("--uniqueid", required=True, help="the caller channel's Asterisk uniqueid")
    parser.add_argument("--interface", default="", help="the queue member who answered (MEMBERINTERFACE)")


def run(args) -> int:
    from sqlalchemy import select

    from hotline import db, logs, settings, users
    from hotline.errors import UsageError
    from hotline.models import Call, Case, Recording, User
    from recordings import intake

    logs.setup(settings.get())
    if not args.file.is_file():
        raise UsageError(f"no such recording: {args.file}")
    extension = users.extension_of(args.interface) if args.interface else ""
    with db.session_scope() as session:
        call = session.scalar(select(Call).where(Call.uniqueid == args.uniqueid))
        case_id = session.scalar(select(Case.id).where(Case.call_id == call.id).order_by(Case.id.desc())
                                 .limit(1)) if call else None
        agent = session.scalar(select(User).where(User.extension == extension)) if extension else None
        recording = Recording(kind="agent_call", call_id=call.id if call else None, case_id=case_id,
                              agent_user_id=agent.id if agent else None, status="spooled",
                              spool_path=str(args.file), source_format="wav")
        session.add(recording)
        session.flush()
        intake.accept(session, recording)
        status, recording_id = recording.status, recording.id
    print(f"seal-agent-call: recording {recording_id} of call {args.uniqueid} {status}"
          f"{f' (agent {extension})' if extension else ''}")
    return 0 if status == "stored" else 1
