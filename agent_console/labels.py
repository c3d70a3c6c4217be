"""Display names of codes (statuses, dispositions, agent states) in the user's language."""
from __future__ import annotations

from flask_babel import get_locale, lazy_gettext as _l

from hotline import reference

STATUS = {
    "received": _l("Received"), "under_review": _l("Under review"), "routed": _l("Routed"),
    "answered": _l("Answered"), "closed": _l("Closed"), "rejected": _l("Rejected"),
    "duplicate": _l("Duplicate"),
}
DISPOSITION = {
    "resolved_on_call": _l("Resolved on the call"), "case_routed": _l("Case routed"),
    "information_given": _l("Information given"), "follow_up_given": _l("Follow-up status given"),
    "wrong_number": _l("Wrong number"), "caller_hung_up": _l("Caller hung up"),
    "duplicate": _l("Duplicate complaint"), "abusive": _l("Abusive call"),
}
CHANNEL = {"ivr": _l("Hotline 16528"), "whatsapp": _l("WhatsApp"), "console": _l("Console")}
AGENT_STATE = {
    "available": _l("Available"), "on_call": _l("On a call"), "wrap_up": _l("Wrap-up"),
    "paused": _l("Paused"),
}
PAUSE_REASON = {
    "break": _l("Break"), "meeting": _l("Meeting"), "training": _l("Training"),
    "technical": _l("Technical problem"), "signed_out": _l("Signed out"),
}

# The IVR's steps (config/menu.yaml's step names), as the live calls and the case's IVR path show them.
IVR_STEP = {
    "language": _l("Language choice"), "main_menu": _l("Main menu"), "category": _l("Category"),
    "governorate": _l("Governorate"), "national_id": _l("National ID"), "consent": _l("Consent"),
    "record": _l("Recording the complaint"), "recording_menu": _l("Recording menu"),
    "save_complaint": _l("Saving the complaint"), "read_number": _l("Complaint number read out"),
    "follow_up": _l("Follow-up"), "whatsapp": _l("WhatsApp numbers"), "agent": _l("Queued for an agent"),
    "goodbye": _l("Goodbye"),
}

# The caller's language as the IVR records it, by its own name (as language pickers show them).
LANGUAGE = {"ar": "العربية", "en": "English"}


def ivr_steps() -> dict[str, str]:
    """IVR_STEP in the page's language, for the live calls script."""
    return {code: str(text) for code, text in IVR_STEP.items()}


def arabic() -> bool:
    """True when the page is in Arabic."""
    return str(get_locale()).startswith("ar")


def category(code: str | None) -> str:
    """A category's name in the page's language."""
    found = reference.category(code) if code else None
    if found is None:
        return code or "—"
    return found.name_ar if arabic() else found.name_en


def governorate(slug: str | None) -> str:
    """A governorate's name in the page's language."""
    found = reference.governorate(slug) if slug else None
    if found is None:
        return slug or "—"
    return found.name_ar if arabic() else found.name_en


def entity(row) -> str:
    """An entity's name in the page's language."""
    if row is None:
        return "—"
    return row.name_ar if arabic() else row.name_en


def choices(table: dict) -> list[tuple[str, str]]:
    """Select options for a code table, with an empty first choice."""
    return [("", "—")] + [(code, str(text)) for code, text in table.items()]
