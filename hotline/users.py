"""Console accounts: creation and argon2 password hashing."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline import audit, security
from hotline.errors import ValidationError
from hotline.models import Entity, User

_hasher = PasswordHasher()
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    """True when ``password`` is the user's; upgrades an outdated hash in place."""
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


def create_user(session: Session, *, username: str, password: str, role: str,
                entity_code: str | None = None, extension: str | None = None,
                display_name: str = "", actor: str = "system") -> User:
    """Create a console user; entity officers must name their entity, others must not."""
    username = username.strip()
    if not username or len(username) > 64 or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise ValidationError("username: 1-64 letters, digits, '.', '_' or '-'")
    if role not in security.ROLES:
        raise ValidationError(f"role must be one of: {', '.join(security.ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"password must have at least {MIN_PASSWORD} characters")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise ValidationError(f"user {username!r} already exists")
    entity = None
    if role == security.ENTITY_OFFICER:
        if not entity_code:
            raise ValidationError("an entity officer needs --entity (an entity code)")
        entity = session.scalar(select(Entity).where(Entity.code == entity_code))
        if entity is None:
            raise ValidationError(f"no entity with code {entity_code!r}")
    elif entity_code:
        raise ValidationError("only entity officers belong to an entity")
    user = User(username=username, password_hash=hash_password(password), role=role,
                entity=entity, extension=extension, display_name=display_name or username)
    session.add(user)
    session.flush()
    audit.record(session, "user.created", actor=actor, object_type="user", object_id=user.id,
                 detail={"username": username, "role": role, "entity": entity_code})
    return user


def revoke_sessions(session: Session, user: User, *, why: str) -> None:
    """End every session and socket of ``user`` (sign-out, disable, role change): the cookie's
    version no longer matches, and each console disconnects the user's sockets on the event."""
    from hotline import events

    user.session_version = (user.session_version or 0) + 1
    session.flush()
    events.publish_after_commit(session, events.Event(
        "session.revoked", payload={"user_id": user.id, "why": why}))


def extension_of(interface: str) -> str:
    """An agent's extension (User.extension) from an Asterisk member interface: PJSIP/1001,
    Local/1001@agents/n, SIP/1001-00000a1 all give 1001."""
    return interface.split("/", 1)[-1].split("@", 1)[0].split("/", 1)[0].split("-", 1)[0]
