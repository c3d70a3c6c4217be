"""The citizen behind a case; national ID and phone are encrypted at rest."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline import pii
from hotline.models.base import Base, EncryptedPII, utcnow


class Complainant(EncryptedPII, Base):
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

    @property
    def phone(self) -> str | None:
        return self._get_pii("phone", "phone")

    @phone.setter
    def phone(self, value: str | None) -> None:
        self._set_pii("phone", "phone", value)

    @property
    def national_id(self) -> str | None:
        return self._get_pii("national_id", "national_id")

    @national_id.setter
    def national_id(self, value: str | None) -> None:
        self._set_pii("national_id", "national_id", value)

    @property
    def name(self) -> str | None:
        return pii.decrypt("name", self.name_enc) if self.name_enc else None

    @name.setter
    def name(self, value: str | None) -> None:
        self.name_enc = pii.encrypt("name", value.strip()) if value and value.strip() else None

    def give_consent(self, consent: bool, channel: str, at: datetime | None = None) -> None:
        """Record the complainant's answer to the consent question."""
        self.consent = consent
        self.consent_channel = channel
        self.consent_at = at or utcnow()
