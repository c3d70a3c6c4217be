"""Roles, permissions and the identity rule: the one table of who may do what.

Code checks permissions, never role names. Personal data leaves the core masked unless the
viewer's permissions and the grounds allow it: the complainant's consent (entities), the call
the viewer is handling, or a reason the viewer gave (see docs/security.md). The console's
identity gate (agent_console/gate.py) gathers the grounds and applies this rule to every field.
"""
from __future__ import annotations

from dataclasses import dataclass

from hotline import pii

AGENT, SUPERVISOR, REVIEWER, ENTITY_OFFICER, ADMIN = (
    "agent", "supervisor", "quality_reviewer", "entity_officer", "admin")

PERMISSIONS: dict[str, str] = {
    "calls.view_live": "see calls in the IVR and the queue as they happen",
    "calls.take": "take a queued call and complete its case",
    "cases.view": "list, search and open every case (identity masked: see identity.*)",
    "cases.view_entity": "list and open the cases routed to one's own entity (and its units)",
    "cases.edit": "complete and correct a case form",
    "cases.route": "route or re-route a case to an entity",
    "cases.answer": "acknowledge, answer or decline a case routed to one's entity",
    "cases.close": "close, reject or mark a duplicate: the call centre's decision, never the entity's",
    "cases.export": "export case lists (identity masked unless the role and consent allow)",
    "cases.find_by_identity": "find cases by national ID or phone (a POST, audited by keyed hash)",
    "identity.view": "see the identity of the case whose call one took, until the call is closed",
    "identity.reveal": "show one case's identity, giving a reason (audited, for a limited time)",
    "identity.view_consented": "see the identity only when the complainant consented",
    "consent.correct": "correct a recorded consent, giving a reason (the old value stays, audited)",
    "recordings.play": "listen to any recording (quality review)",
    "recordings.play_own_case": "listen to the recording of a case one is completing",
    "transcripts.view": "read transcripts with their word timings",
    "transcripts.view_redacted": "read transcripts' text",
    "review.score": "fill quality-review scorecards",
    "wallboard.view": "see the supervisor wallboard",
    "agents.manage": "reassign calls and cases, change agents' states",
    "reports.view": "see reports",
    "audit.view": "see and verify the audit trail",
    "users.manage": "request changes to users; approve another admin's (never one's own)",
    "entities.manage": "edit entities and routing rules",
    "api.use": "use the JSON API with a personal token",
    "jobs.manage": "see background jobs that failed for good and queue them again",
}

ROLES: dict[str, frozenset[str]] = {
    AGENT: frozenset({
        "calls.view_live", "calls.take", "cases.view", "cases.edit", "cases.route", "cases.close",
        "cases.find_by_identity", "identity.view", "identity.reveal", "recordings.play_own_case",
        "transcripts.view", "api.use"}),
    SUPERVISOR: frozenset({
        "calls.view_live", "cases.view", "cases.edit", "cases.route", "cases.close", "cases.export",
        "cases.find_by_identity", "identity.reveal", "consent.correct", "transcripts.view",
        "wallboard.view", "agents.manage", "reports.view", "audit.view", "api.use", "jobs.manage"}),
    # Reviewers need the recording and the transcript, not the identity.
    REVIEWER: frozenset({
        "cases.view", "recordings.play", "transcripts.view", "review.score"}),
    ENTITY_OFFICER: frozenset({
        "cases.view_entity", "cases.answer", "cases.export", "identity.view_consented",
        "transcripts.view_redacted", "api.use"}),
    # Admins run the system; they do not see case contents.
    ADMIN: frozenset({"users.manage", "entities.manage", "audit.view", "wallboard.view",
                      "jobs.manage"}),
}

# Which permission moves a case to each status. Closing belongs to the centre (or to the
# citizen's satisfaction); an entity acknowledges, answers, or sends a case back.
STATUS_PERMISSIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"cases.edit", "cases.answer"}),
    "under_review": frozenset({"cases.edit", "cases.answer"}),
    "routed": frozenset({"cases.route"}),
    "answered": frozenset({"cases.edit", "cases.answer"}),
    "closed": frozenset({"cases.close"}),
    "rejected": frozenset({"cases.close"}),
    "duplicate": frozenset({"cases.close"}),
}

ROLE_NAMES = {
    AGENT: ("موظف مركز الاتصال", "Call-centre agent"),
    SUPERVISOR: ("مشرف", "Supervisor"),
    REVIEWER: ("مراجع الجودة", "Quality reviewer"),
    ENTITY_OFFICER: ("موظف الجهة", "Entity officer"),
    ADMIN: ("مدير النظام", "Administrator"),
}

assert all(perm in PERMISSIONS for perms in ROLES.values() for perm in perms)
assert all(perm in PERMISSIONS for perms in STATUS_PERMISSIONS.values() for perm in perms)


def permissions(role: str) -> frozenset[str]:
    """The permissions of a role (none for an unknown role)."""
    return ROLES.get(role, frozenset())


def has_permission(role: str, permission: str) -> bool:
    """True when ``role`` grants ``permission``; an unknown permission is a programming error."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return permission in permissions(role)


def may_set_status(role: str, status: str) -> bool:
    """True when ``role`` may move a case to ``status`` (the lifecycle decides the rest)."""
    return any(p in permissions(role) for p in STATUS_PERMISSIONS.get(status, ()))


def reaches_cases(role: str) -> bool:
    """True when ``role`` sees case contents (granting it needs a second admin)."""
    return bool(permissions(role) & {"cases.view", "cases.view_entity"})


@dataclass(frozen=True)
class Grounds:
    """Why a viewer might see one case's identity: the complainant's consent, the viewer
    handling the case's call now, or the viewer having given a reason (``revealed``)."""

    consent: bool = False
    handling: bool = False
    revealed: bool = False


def may_see_identity(role: str, grounds: Grounds) -> bool:
    """The identity gate's one rule: whether ``role`` sees a case's identity on these grounds.

    Free text (description, notes, transcripts, messages) follows it: where the identity is
    masked, so are the national IDs and phone numbers written or said in the text.
    """
    return ((grounds.handling and has_permission(role, "identity.view"))
            or (grounds.revealed and has_permission(role, "identity.reveal"))
            or (grounds.consent and has_permission(role, "identity.view_consented")))


def identity_view(role: str, grounds: Grounds, *, name: str | None, phone: str | None,
                  national_id: str | None) -> dict[str, str | bool]:
    """The complainant fields as this role may see them; ``masked`` says whether they are."""
    if may_see_identity(role, grounds):
        return {"name": name or "", "phone": phone or "", "national_id": national_id or "",
                "masked": False}
    return {"name": "***" if name else "", "phone": pii.mask_phone(phone),
            "national_id": pii.mask_national_id(national_id), "masked": True}
