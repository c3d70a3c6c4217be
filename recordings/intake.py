"""Intake: a spooled recording is normalised, encrypted into the vault and its plaintext removed.

Fail closed, lose nothing: if encryption fails the plaintext stays in the spool (mode 0600),
the recording becomes ``pending``, the case is marked and supervisors are warned; the sweeper
(``purge --sweep``) retries. A file that is not audio stays in the spool as ``invalid``.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from hotline import audit, settings
from hotline.errors import SettingsError
from hotline.events import Event, publish_after_commit
from hotline.models import Case, Recording
from recordings import audio, keyring, vault

log = logging.getLogger(__name__)

_UNLINK_KEY = "recordings_spool_unlink"


def check_ready() -> list[str]:
    """The recipients recordings will be encrypted to; SettingsError when there is none."""
    recipients = keyring.configured_recipients()
    if not recipients:
        raise SettingsError("age_recipients: no recipient configured")
    spool = settings.get().spool_dir
    try:
        spool.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise SettingsError(f"spool_dir: cannot create {spool}: {exc.strerror}") from None
    return recipients


def accept(session: Session, recording: Recording) -> Recording:
    """Normalise, encrypt and record a spooled recording; never raises for a bad file or a full disk."""
    if recording.id is None:
        session.add(recording)
        session.flush()
    spool = Path(recording.spool_path or "")
    try:
        normal = audio.normalise(spool, recording.source_format)
    except audio.AudioError as exc:
        return _invalid(session, recording, spool, str(exc))
    try:
        sealed = vault.store(normal.wav, f"r{recording.id}-{os.urandom(4).hex()}.wav", "recordings",
                             when=recording.created_at)
    except (OSError, vault.VaultError, SettingsError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return _pending(session, recording, spool, f"{type(exc).__name__}: {reason}")
    _stored(session, recording, sealed, normal.duration_ms)
    # The plaintext goes once the row naming the vault file is committed: a rollback keeps it.
    session.info.setdefault(_UNLINK_KEY, []).append(spool)
    publish_after_commit(session, Event("recording.saved", call_id=recording.call_id,
                                        case_id=recording.case_id,
                                        payload={"recording_id": recording.id,
                                                 "duration_ms": normal.duration_ms}))
    return recording


def _stored(session: Session, recording: Recording, sealed: vault.Sealed, duration_ms: int) -> None:
    recording.vault_path = sealed.path
    recording.sha256 = sealed.sha256
    recording.size = sealed.size
    recording.duration_ms = duration_ms
    recording.recipients = sealed.recipients
    recording.header_sha256 = sealed.header_sha256
    recording.status = "stored"
    if recording.case_id is not None:
        others = session.query(Recording).filter(
            Recording.case_id == recording.case_id, Recording.id != recording.id,
            Recording.status == "pending").count()
        if not others:
            case = session.get(Case, recording.case_id)
            if case is not None:
                case.recording_pending = False
    session.flush()


def _keep_private(spool: Path) -> None:
    try:
        os.chmod(spool, 0o600)
    except OSError as exc:
        log.warning("cannot restrict %s to mode 0600: %s", spool, exc)


def _pending(session: Session, recording: Recording, spool: Path, reason: str) -> Recording:
    log.error("recording %s not encrypted, kept in the spool for the sweeper: %s", recording.id, reason)
    _keep_private(spool)
    recording.status = "pending"
    if recording.case_id is not None:
        case = session.get(Case, recording.case_id)
        if case is not None:
            case.recording_pending = True
    session.flush()
    publish_after_commit(session, Event("recording.pending", call_id=recording.call_id,
                                        case_id=recording.case_id,
                                        payload={"recording_id": recording.id, "reason": reason}))
    return recording


def _invalid(session: Session, recording: Recording, spool: Path, reason: str) -> Recording:
    log.warning("recording %s refused, original kept in the spool: %s", recording.id, reason)
    if spool.is_file():
        _keep_private(spool)
    recording.status = "invalid"
    audit.record(session, "recording.invalid", actor="recordings", object_type="recording",
                 object_id=recording.id, case_id=recording.case_id, detail={"error": reason})
    return recording


@sa_event.listens_for(Session, "after_commit")
def _remove_plaintext(session: Session) -> None:
    if session.in_nested_transaction():  # a SAVEPOINT released: the vault row is not committed yet
        return
    for path in session.info.pop(_UNLINK_KEY, []):
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:  # the sweeper removes it later
            log.error("cannot remove plaintext %s: %s", path, exc)


@sa_event.listens_for(Session, "after_rollback")
def _keep_plaintext(session: Session) -> None:
    session.info.pop(_UNLINK_KEY, None)
