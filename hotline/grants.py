"""Two admins for every grant: no one gives themselves, or anyone alone, a way into case contents.

An admin runs the system, not the cases. A change that gives an account access — a new user,
a role or entity changed, an account enabled again, a password set by an admin (which lets
that admin sign in as the user) — is only *requested* by one admin and applied when a second
admin approves it; both steps are audited. An admin cannot change their own role, entity or
state at all. Taking access away (disabling) and harmless details (extension, display name)
apply at once; disabling ends the user's sessions then and there. The first admin of a
deployment is made with ``run_ivr.py create-user``, by whoever runs the servers.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline import audit, security, users
from hotline.errors import ValidationError
from hotline.models import Entity, GrantRequest, User, utcnow

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


def _check_admin(admin: User) -> None:
    if not security.has_permission(admin.role, "users.manage"):
        raise ValidationError("only an admin may change users")


def request_new_user(session: Session, admin: User, *, username: str, password: str, role: str,
                     entity_code: str | None = None, extension: str | None = None,
                     display_name: str = "") -> GrantRequest:
    """A new account, disabled until a second admin approves it."""
    _check_admin(admin)
    user = users.create_user(session, username=username, password=password, role=role,
                             entity_code=entity_code, extension=extension, display_name=display_name,
                             actor=admin.username)
    user.active = False
    return _request(session, admin, user, {"active": True, "new_user": True})


def change(session: Session, admin: User, target: User, *, role: str, entity_code: str | None,
           active: bool, extension: str | None, password_hash: str | None = None) -> GrantRequest | None:
    """Apply what takes access away or changes nothing that matters; request what grants it.

    Returns the pending request, or None when nothing needed a second admin."""
    _check_admin(admin)
    entity_id = None
    if role not in security.ROLES:
        raise ValidationError(f"role must be one of: {', '.join(security.ROLES)}")
    if (role == security.ENTITY_OFFICER) != bool(entity_code):
        raise ValidationError("entity officers, and only they, belong to an entity")
    if entity_code:
        entity_id = session.scalar(select(Entity.id).where(Entity.code == entity_code))
        if entity_id is None:
            raise ValidationError(f"no entity with code {entity_code!r}")
    wanted = {"role": role, "entity_id": entity_id, "active": active}
    grants = {k: v for k, v in wanted.items() if getattr(target, k) != v and not (k == "active" and not v)}
    if target.id == admin.id and (grants or not active):
        raise ValidationError("no one changes their own role, entity or state: ask another admin")
    target.extension = extension
    if not active and target.active:
        target.active = False
        users.revoke_sessions(session, target, why="disabled")
        target.api_token_hash = None
        audit.record(session, "user.disabled", user=admin, object_type="user", object_id=target.id)
    if password_hash:  # hashed by the caller (argon2 takes a thread of its own in the console)
        if target.id == admin.id:
            target.password_hash = password_hash
        else:
            grants["password_reset"] = True
    if not grants:
        return None
    return _request(session, admin, target, grants,
                    password_hash=password_hash if grants.get("password_reset") else None)


def _request(session: Session, admin: User, target: User, changes: dict, *,
             password_hash: str | None = None) -> GrantRequest:
    row = GrantRequest(user_id=target.id, requested_by=admin.id, changes=changes,
                       password_hash=password_hash, status=PENDING)
    session.add(row)
    session.flush()
    audit.record(session, "user.change_requested", user=admin, object_type="user", object_id=target.id,
                 detail={"request": row.id, **changes})
    return row


def pending(session: Session) -> list[GrantRequest]:
    """Requests waiting for a second admin, oldest first."""
    return list(session.scalars(select(GrantRequest).where(GrantRequest.status == PENDING)
                                .order_by(GrantRequest.id)))


def decide(session: Session, admin: User, request: GrantRequest, *, approve: bool) -> None:
    """A second admin approves (the change applies, the user's sessions end) or rejects."""
    _check_admin(admin)
    if request.status != PENDING:
        raise ValidationError("this request was already decided")
    if admin.id in (request.requested_by, request.user_id):
        raise ValidationError("a second admin must decide: not the one who asked, nor its subject")
    request.status, request.decided_by, request.decided_at = (
        APPROVED if approve else REJECTED), admin.id, utcnow()
    target = session.get(User, request.user_id)
    if approve:
        changes = request.changes
        for key in ("role", "entity_id", "active"):
            if key in changes:
                setattr(target, key, changes[key])
        if changes.get("password_reset") and request.password_hash:
            target.password_hash = request.password_hash
        if "role" in changes or "entity_id" in changes:
            target.api_token_hash = None  # a token made under the old role is not carried over
        users.revoke_sessions(session, target, why="role change")
    request.password_hash = None
    audit.record(session, "user.change_approved" if approve else "user.change_rejected", user=admin,
                 object_type="user", object_id=target.id,
                 detail={"request": request.id, "requested_by": request.requested_by, **request.changes})
