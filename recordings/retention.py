"""Retention: recordings and photos older than their category's retention are deleted.

Cases on legal hold keep theirs. The row stays (status ``purged``, hash kept) and so do the audit
entries; only the encrypted file (and any plaintext left in the spool) goes. Each deletion is its
own transaction, file first: if the commit fails, the next run finds the file gone and commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from hotline import audit, db, settings
from hotline.models import Attachment, Case, Recording, utcnow
from recordings import vault

# Recordings in these states hold data to delete; "spooled" ones are still being taken in.
_PURGEABLE = ("stored", "pending", "invalid")


@dataclass(frozen=True)
class Item:
    """A recording or attachment past its retention."""

    kind: str  # recording | attachment
    id: int
    case_number: str | None
    category: str | None
    created_at: datetime
    days: int
    held: bool

    def describe(self) -> str:
        case = f"case {self.case_number}" if self.case_number else "no case"
        return (f"{self.kind} {self.id} ({case}, {self.category or '-'}, "
                f"{self.created_at:%Y-%m-%d}, retention {self.days} days)")


@dataclass
class Report:
    """Items purged (or that would be, in a dry run) and items kept by a legal hold."""

    purged: list[Item] = field(default_factory=list)
    held: list[Item] = field(default_factory=list)


def retention_days(category: str | None) -> int:
    """Days a recording of ``category`` is kept (0: forever)."""
    conf = settings.get()
    return conf.retention_days_by_category.get(category or "", conf.retention_days)


def due(now: datetime | None = None) -> list[Item]:
    """Every recording and attachment past retention, held ones included (``held`` set)."""
    now = now or utcnow()
    items = []
    with db.session_scope() as session:
        queries = [
            ("recording", select(Recording.id, Recording.created_at, Case).outerjoin(
                Case, Case.id == Recording.case_id).where(Recording.status.in_(_PURGEABLE))),
            ("attachment", select(Attachment.id, Attachment.created_at, Case).outerjoin(
                Case, Case.id == Attachment.case_id).where(Attachment.vault_path.is_not(None))),
        ]
        for kind, query in queries:
            for row_id, created_at, case in session.execute(query):
                days = retention_days(case.category if case else None)
                if days and created_at < now - timedelta(days=days):
                    items.append(Item(kind, row_id, case.number if case else None,
                                      case.category if case else None, created_at, days,
                                      bool(case and case.legal_hold)))
    return sorted(items, key=lambda item: (item.created_at, item.kind, item.id))


def purge(dry_run: bool = False, now: datetime | None = None) -> Report:
    """Delete what is past retention (a dry run only lists it)."""
    report = Report()
    for item in due(now):
        if item.held:
            report.held.append(item)
            continue
        if not dry_run:
            _purge_one(item)
        report.purged.append(item)
    return report


def _purge_one(item: Item) -> None:
    with db.session_scope() as session:
        if item.kind == "recording":
            row = session.get(Recording, item.id, with_for_update=True)
            if row.spool_path:
                Path(row.spool_path).unlink(missing_ok=True)
            row.status, row.purged_at = "purged", utcnow()
        else:
            row = session.get(Attachment, item.id, with_for_update=True)
        if row.vault_path:
            vault.remove(row.vault_path)
        row.vault_path = None
        audit.record(session, f"{item.kind}.purged", actor="retention", object_type=item.kind,
                     object_id=item.id, case_id=getattr(row, "case_id", None),
                     detail={"created_at": item.created_at.isoformat(), "days": item.days,
                             "sha256": row.sha256})
