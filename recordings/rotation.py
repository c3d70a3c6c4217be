"""Key rotation: re-encrypt every vault file to new recipients, resumable, never unreadable.

For each file: write the re-encrypted copy beside the old one (temporary name, fsync, rename),
commit the row to name the new file, then delete the old file. Interrupted at any point, every
row names a whole file that its recipients can open; running again finishes the work. Whether
a file is done shows in its name (``<stem>.<keyset>.age``).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Iterator

from sqlalchemy import select

from hotline import audit, db
from hotline.models import Attachment, Recording
from recordings import keyring, vault

log = logging.getLogger(__name__)


@dataclass
class Report:
    """What a rotation (or a check) did: counts and the files that failed, with why."""

    done: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def vault_rows() -> list[tuple[type, int]]:
    """(model, id) of every row naming a vault file: stored recordings, then attachments."""
    with db.session_scope() as session:
        recordings = session.scalars(select(Recording.id).where(
            Recording.status == "stored", Recording.vault_path.is_not(None)).order_by(Recording.id))
        attachments = session.scalars(select(Attachment.id).where(
            Attachment.vault_path.is_not(None)).order_by(Attachment.id))
        return [(Recording, i) for i in recordings] + [(Attachment, i) for i in attachments]


def rotate(to: list[str], identities=None, on_file: Callable[[str], None] | None = None,
           rows: list[tuple[type, int]] | None = None) -> Report:
    """Re-encrypt every vault file to ``to``; ``on_file`` is called after each file."""
    keyring.parse_recipients(to, where="keys rotate --to")
    identities = identities or keyring.read_identities()
    target = keyring.keyset_id(to)
    fingerprints = [keyring.fingerprint(r) for r in to]
    report = Report()
    for model, row_id in (vault_rows() if rows is None else rows):
        with db.session_scope() as session:
            row = session.get(model, row_id)
            relative, sha256 = row.vault_path, row.sha256
        if vault.file_name(vault.stem_of(relative), to) == _name(relative):
            report.skipped += 1
        else:
            try:
                sealed = vault.reseal(relative, sha256, to, identities)
            except vault.VaultError as exc:
                report.failed.append((relative, str(exc)))
                log.error("not rotated: %s", exc)
                _notify(on_file, relative)
                continue
            with db.session_scope() as session:
                row = session.get(model, row_id)
                row.vault_path = sealed.path
                if model is Recording:
                    row.recipients = fingerprints
                    row.header_sha256 = sealed.header_sha256
                audit.record(session, "vault.reencrypted", actor="keys", object_type=model.__tablename__,
                             object_id=row_id, detail={"keyset": target, "recipients": fingerprints})
            relative = sealed.path
            report.done += 1
        _remove_older_copies(relative)
        _notify(on_file, relative)
    return report


def _name(relative: str) -> str:
    return relative.rsplit("/", 1)[-1]


def _notify(on_file, relative: str) -> None:
    if on_file is not None:
        on_file(relative)


def _remove_older_copies(current: str) -> None:
    """Delete copies of the same file under other key sets (left by an interrupted run)."""
    path = vault.resolve(current)
    for sibling in path.parent.glob(f"{vault.stem_of(current)}.*.age"):
        if sibling.name != path.name:
            sibling.unlink()


def check_all(identities=None, on_file: Callable[[str], None] | None = None) -> Report:
    """Open every vault file (streaming, nothing kept) and check its hash."""
    identities = identities or keyring.read_identities()
    report = Report()
    for relative, sha256, header_sha256 in _files():
        try:
            vault.check(relative, sha256, identities, header_sha256)
            report.done += 1
        except vault.VaultError as exc:
            report.failed.append((relative, str(exc)))
        _notify(on_file, relative)
    return report


def _files() -> Iterator[tuple[str, str, str | None]]:
    for model, row_id in vault_rows():
        with db.session_scope() as session:
            row = session.get(model, row_id)
            yield row.vault_path, row.sha256, row.header_sha256 if model is Recording else None
