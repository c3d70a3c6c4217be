"""API keys for entities' own systems: only a hash is stored, the key is shown once."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hotline.models import Base, Entity, utcnow


class Open311Key(Base):
    """One entity system's key (migration 0004): its requests see that entity's cases only."""

    __tablename__ = "open311_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(session: Session, entity: Entity, label: str = "") -> str:
    """Make a key for ``entity``'s system; returns the key itself (it is not kept)."""
    key = "o311_" + secrets.token_urlsafe(32)
    session.add(Open311Key(entity_id=entity.id, label=label, key_hash=_hash(key)))
    session.flush()
    return key


def lookup(session: Session, key: str) -> Open311Key | None:
    """The active key row for ``key``, or None."""
    if not key:
        return None
    row = session.scalar(select(Open311Key).where(Open311Key.key_hash == _hash(key)))
    return row if row is not None and row.active else None
