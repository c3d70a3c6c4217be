"""The signed-in user as Flask-Login sees it, loaded from ``users`` on every request."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask_login import UserMixin
from sqlalchemy import select

from hotline import security
from hotline.models import User


@dataclass
class Account(UserMixin):
    """A console user's identity and role, detached from the database session."""

    id: int
    username: str
    display_name: str
    role: str
    entity_id: int | None
    extension: str | None
    active: bool
    password_tag: str
    session_version: int = 0

    @classmethod
    def of(cls, user: User) -> "Account":
        return cls(user.id, user.username, user.display_name or user.username, user.role,
                   user.entity_id, user.extension, user.active, _tag(user.password_hash),
                   user.session_version or 0)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The cookie names the session version and the password: bumping the version (sign-out,
        # disable, role change: hotline.users.revoke_sessions) or changing the password ends
        # every session made before.
        return f"{self.id}:{self.session_version}:{self.password_tag}"

    def can(self, permission: str) -> bool:
        """True when this user's role grants ``permission``."""
        return security.has_permission(self.role, permission)

    @property
    def permissions(self) -> frozenset[str]:
        return security.permissions(self.role)


def _tag(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:12]


def load(session, user_id: str) -> Account | None:
    """The account behind a session cookie's id, or None if it is gone, disabled or revoked.

    Flask-Login calls this on every request and every Socket.IO event."""
    number, version, tag = (user_id.split(":") + ["", ""])[:3]
    if not (number.isdigit() and version.isdigit()) or len(number) > 18:
        return None
    user = session.get(User, int(number))
    if (user is None or not user.active or user.session_version != int(version)
            or _tag(user.password_hash) != tag):
        return None
    return Account.of(user)


def new_api_token(user: User) -> str:
    """Give the user a fresh API token; only its hash is kept, so show it once."""
    token = "shk_" + secrets.token_urlsafe(32)
    user.api_token_hash = token_hash(token)
    return token


def token_hash(token: str) -> str:
    """The stored form of an API token."""
    return hashlib.sha256(token.encode()).hexdigest()


def by_token(session, token: str) -> Account | None:
    """The active user owning this API token, or None."""
    if not token:
        return None
    user = session.scalar(select(User).where(User.api_token_hash == token_hash(token)))
    return Account.of(user) if user is not None and user.active else None
