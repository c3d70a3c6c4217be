"""Console users: agents, supervisors, quality reviewers, entity officers, admins."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.models.base import Base, utcnow
from hotline.models.entity import Entity


class User(Base):
    """A person who signs in to the console; ``role`` is one of hotline.security.ROLES."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32), index=True)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    extension: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Part of every session cookie's id: bumping it (logout, disable, role change) ends them all.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entity: Mapped[Entity | None] = relationship()

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class GrantRequest(Base):
    """An admin's change to a user that reaches case contents, waiting for a second admin."""

    __tablename__ = "grant_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[dict] = mapped_column(JSON)  # role, entity_id, active, password_reset
    password_hash: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
