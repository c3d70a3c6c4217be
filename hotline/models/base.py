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


class EncryptedPII:
    """Mixin helpers for a pair of columns ``<field>_enc`` (AES-GCM) and ``<field>_hash`` (HMAC)."""

    def _set_pii(self, field: str, column: str, value: str | None) -> None:
        if not value:
            setattr(self, f"{column}_enc", None)
            setattr(self, f"{column}_hash", None)
            return
        canonical = pii.normalise(field, value)
        setattr(self, f"{column}_enc", pii.encrypt(field, canonical))
        setattr(self, f"{column}_hash", pii.lookup_hash(field, canonical))

    def _get_pii(self, field: str, column: str) -> str | None:
        blob = getattr(self, f"{column}_enc")
        return pii.decrypt(field, blob) if blob else None

