"""Roles, permissions and consent masking: the one table of who may do what.

Code checks permissions, never role names. Personal data leaves the core masked unless the
viewer's permissions and the complainant's consent allow it (see docs/security.md).
"""
from __future__ import annotations

from hotline import pii

AGENT, SUPERVISOR, REVIEWER, ENTITY_OFFICER, ADMIN = (
    "agent", "supervisor", "quality_reviewer", "entity_officer", "admin")

PERMISSIONS: dict[str, str] = {
    "calls.view_live": "see calls in the IVR and the queue as they happen",
    "calls.take": "take a queued call and complete its case",
    "cases.view": "list, search and open every case",
    "cases.view_entity": "list and open the cases routed to one's own entity (and its units)",
    "cases.edit": "complete and correct a case form",
    "cases.route": "route or re-route a case to an entity",
    "cases.answer": "acknowledge, answer or decline a case routed to one's entity",
    "cases.export": "export case lists (identity masked)",
    "identity.view": "see a complainant's name, phone and national ID while handling the case",
    "identity.view_consented": "see the identity only when the complainant consented",
    "recordings.play": "listen to any recording (quality review)",
    "recordings.play_own_case": "listen to the recording of a case one is completing",
    "transcripts.view": "read full transcripts",
    "transcripts.view_redacted": "read transcripts with national IDs and phone numbers masked",
    "review.score": "fill quality-review scorecards",
    "wallboard.view": "see the supervisor wallboard",
    "agents.manage": "reassign calls and cases, change agents' states",
    "reports.view": "see reports",
    "audit.view": "see and verify the audit trail",
    "users.manage": "create, disable and change users",
    "entities.manage": "edit entities and routing rules",
    "api.use": "use the JSON API with a personal token",
    "jobs.manage": "see background jobs that failed for good and queue them again",
}

ROLES: dict[str, frozenset[str]] = {
    AGENT: frozenset({
        "calls.view_live", "calls.take", "cases.view", "cases.edit", "cases.route",
        "identity.view", "recordings.play_own_case", "transcripts.view", "api.use"}),
    SUPERVISOR: frozenset({
        "calls.view_live", "cases.view", "cases.edit", "cases.route", "cases.export",
        "identity.view", "transcripts.view", "wallboard.view", "agents.manage", "reports.view",
        "audit.view", "api.use", "jobs.manage"}),
    REVIEWER: frozenset({
        "cases.view", "recordings.play", "transcripts.view", "review.score"}),
    ENTITY_OFFICER: frozenset({
        "cases.view_entity", "cases.answer", "cases.export", "identity.view_consented",
        "transcripts.view_redacted", "api.use"}),
    # Admins run the system; they do not see case contents.
    ADMIN: frozenset({"users.manage", "entities.manage", "audit.view", "wallboard.view",
                      "jobs.manage"}),
}

ROLE_NAMES = {
    AGENT: ("موظف مركز الاتصال", "Call-centre agent"),
    SUPERVISOR: ("مشرف", "Supervisor"),
    REVIEWER: ("مراجع الجودة", "Quality reviewer"),
    ENTITY_OFFICER: ("موظف الجهة", "Entity officer"),
    ADMIN: ("مدير النظام", "Administrator"),
}

assert all(perm in PERMISSIONS for perms in ROLES.values() for perm in perms)


def permissions(role: str) -> frozenset[str]:
    """The permissions of a role (none for an unknown role)."""
    return ROLES.get(role, frozenset())


def has_permission(role: str, permission: str) -> bool:
    """True when ``role`` grants ``permission``; an unknown permission is a programming error."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return permission in permissions(role)


def may_see_identity(role: str, consent: bool) -> bool:
    """Whether this role sees a complainant's identity unmasked, given the consent."""
    return has_permission(role, "identity.view") or (
        consent and has_permission(role, "identity.view_consented"))


def identity_view(role: str, *, consent: bool, name: str | None, phone: str | None,
                  national_id: str | None) -> dict[str, str | bool]:
    """The complainant fields as this role may see them; ``masked`` says whether they are."""
    if may_see_identity(role, consent):
        return {"name": name or "", "phone": phone or "", "national_id": national_id or "",
                "masked": False}
    return {"name": "***" if name else "", "phone": pii.mask_phone(phone),
            "national_id": pii.mask_national_id(national_id), "masked": True}


def complainant_view(role: str, person) -> dict[str, str | bool]:
    """:func:`identity_view` of a ``Complainant`` (or None), with its ``consent``."""
    consent = bool(person is not None and person.consent)
    shown = identity_view(role, consent=consent,
                          name=person.name if person is not None else None,
                          phone=person.phone if person is not None else None,
                          national_id=person.national_id if person is not None else None)
    shown["consent"] = consent
    return shown
