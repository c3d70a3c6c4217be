"""The citizen behind a case; national ID and phone are encrypted at rest."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

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

    def give_consent(self, consent: bool, channel: str, at: datetime | None = None) -> None:
        """Record the complainant's answer to the consent question."""
        self.consent = consent
        self.consent_channel = channel
        self.consent_at = at or utcnow()
