"""The citizen behind a case; national ID and phone are encrypted at rest."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.models.base import PII, Base, utcnow


class Complainant(Base):
    """Identity and consent of one complainant on one case."""

    __tablename__ = "complainants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    national_id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    national_id_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # Consent to let the entity handling the case see this identity.
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[datetime | None]
    consent_channel: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    phone = PII("phone")
    national_id = PII("national_id")
    name = PII("name", hashed=False)

    history: Mapped[list["ConsentChange"]] = relationship(
        order_by="ConsentChange.id", cascade="all, delete-orphan")

    def give_consent(self, consent: bool, channel: str, at: datetime | None = None, *,
                     actor: str | None = None, user_id: int | None = None,
                     reason: str | None = None, case_id: int | None = None) -> None:
        """Record an answer to the consent question; the value it replaces stays in ``history``.

        Who may call this, and through which channel, is decided by ``hotline.consent``.
        """
        at = at or utcnow()
        self.history.append(ConsentChange(
            at=at, old=self.consent if self.consent_at is not None else None, new=consent,
            channel=channel, actor=actor or channel, user_id=user_id, reason=reason, case_id=case_id))
        self.consent = consent
        self.consent_channel = channel
        self.consent_at = at


class ConsentChange(Base):
    """One answer to the consent question, or a staff correction of it (migration 0007)."""

    __tablename__ = "consent_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    complainant_id: Mapped[int] = mapped_column(ForeignKey("complainants.id"), index=True)
    case_id: Mapped[int | None]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    old: Mapped[bool | None] = mapped_column(Boolean)
    new: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(16))  # ivr | whatsapp | call | correction | open311
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
