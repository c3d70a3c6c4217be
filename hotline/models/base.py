"""Declarative base, UTC timestamps and the encrypted personal-data columns."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

from hotline import pii

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: use hotline.models.utcnow()")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


class PII:
    """A personal-data attribute stored as ``<column>_enc`` (AES-GCM) and, when ``hashed``,
    ``<column>_hash`` (keyed HMAC for look-ups). Reading decrypts; setting normalises and encrypts."""

    def __init__(self, kind: str, *, hashed: bool = True):
        self.kind, self.hashed = kind, hashed

    def __set_name__(self, owner, name: str) -> None:
        self.column = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        blob = getattr(obj, f"{self.column}_enc")
        return pii.decrypt(self.kind, blob) if blob else None

    def __set__(self, obj, value: str | None) -> None:
        value = pii.normalise(self.kind, value) if value and value.strip() else None
        setattr(obj, f"{self.column}_enc", pii.encrypt(self.kind, value) if value else None)
        if self.hashed:
            setattr(obj, f"{self.column}_hash", pii.lookup_hash(self.kind, value) if value else None)
