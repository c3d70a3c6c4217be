"""Display names of codes (statuses, dispositions, agent states) in the user's language."""
from __future__ import annotations

from flask_babel import get_locale, lazy_gettext as _l
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

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
CHANNEL = {"ivr": _l("Hotline 16528"), "whatsapp": _l("WhatsApp"), "console": _l("Console"),
           "open311": _l("An entity's own system (Open311)")}
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
    "survey": _l("Satisfaction survey call"), "survey_comment": _l("The citizen's comment"),
    "follow_up_survey": _l("Solved or not, on a follow-up call"),
}

# What a history row records beyond its status (CaseHistory.event).
HISTORY_EVENT = {
    "auto_routed": _l("Routed automatically: the routing rules are certain for this category and governorate"),
    "acknowledged": _l("The entity acknowledged the complaint"),
    "more_info": _l("The entity asked for more information"),
    "declined": _l("The entity declined: not its complaint, to be routed again"),
    "incomplete": _l("Incomplete: the caller hung up before confirming"),
    "whatsapp_completed": _l("Completed by the citizen on WhatsApp"),
    "whatsapp_cancelled": _l("Cancelled by the citizen on WhatsApp"),
    "no_complaint": _l("No complaint on this call"),
    "disposition": _l("Closed by the call's disposition"),
    # Closing the loop (issue 18).
    "citizen_solved": _l("Closed: the citizen said the answer solved it"),
    "closed_silent": _l("Closed: the citizen said nothing after the answer"),
    "reopened": _l("Reopened: the citizen said the answer did not solve it; back to the entity that answered"),
    "reopened_to_parent": _l("Reopened again: the citizen said it is still not solved; sent to the entity above"),
    "reopened_to_centre": _l("Reopened: still not solved and no entity above; back to the call centre"),
    "citizen_words": _l("The citizen's words on the answer"),
    "reminded": _l("Reminder: the answer is past due"),
    "escalated": _l("Escalated: past due, sent to the entity above"),
    "escalated_to_centre": _l("Escalated: past due at the top, back to the call centre"),
}
# What an entity's inbox marks a complaint with (its newest step of the escalation ladder or reopening).
FOLLOW_UP = {"reminded": _l("Reminded"), "escalated": _l("Escalated to you"),
             "reopened": _l("Reopened by the citizen"), "reopened_to_parent": _l("Reopened, sent up to you")}
# System actors in the history (people appear by their user name).
ACTOR = {"ivr": _l("The IVR"), "routing": _l("The routing rules"), "whatsapp": _l("WhatsApp"),
         "demo": _l("The demo"), "system": _l("The system"), "citizen": _l("The citizen"),
         "escalation": _l("The escalation rules"), "cluster": _l("The duplicate search"),
         "silence": _l("No answer from the citizen"), "satisfaction": _l("The satisfaction survey"),
         "recordings": _l("The recordings vault")}
# How a consent answer was given (hotline.consent's channels), in the complainant's consent history.
CONSENT_CHANNEL = {"ivr": _l("on the hotline's keypad"), "whatsapp": _l("on WhatsApp"),
                   "call": _l("said on the call to the agent"), "correction": _l("corrected by a supervisor"),
                   "open311": _l("not asked: filed by an entity's own system")}
# A local unit's kind (hotline.unit_import.KINDS), as Egypt's local administration names them.
UNIT_KIND = {"markaz": _l("Markaz"), "city": _l("City"), "district": _l("District (hay)"), "qism": _l("Qism"),
             "village": _l("Village")}
ENTITY_KIND = {"ministry": _l("Ministry"), "governorate": _l("Governorate"),
               "local_unit": _l("Local unit"), "authority": _l("Authority")}
ROLE = {"agent": _l("Call-centre agent"), "supervisor": _l("Supervisor"),
        "quality_reviewer": _l("Quality reviewer"), "entity_officer": _l("Entity officer"),
        "admin": _l("Administrator")}
AUDIT_ACTION = {
    "api_token.issued": _l("API token issued"), "audit.verified": _l("Audit chain verified"),
    "cases.exported": _l("Cases exported"), "entity.changed": _l("Entity changed"),
    "entity.created": _l("Entity added"), "identity.viewed": _l("Complainant identity viewed"),
    "job.requeued": _l("Failed job queued again"), "photo.viewed": _l("Photo viewed"),
    "recording.invalid": _l("Recording failed its check"), "recording.played": _l("Recording played"),
    "recording.transcribed": _l("Recording transcribed"), "review.scored": _l("Call scored"),
    "routing.changed": _l("Routing rule changed"), "routing.created": _l("Routing rule added"),
    "routing.deleted": _l("Routing rule deleted"), "user.changed": _l("User changed"),
    "user.created": _l("User created"), "user.login": _l("Signed in"),
    "vault.reencrypted": _l("Recordings re-encrypted"), "whatsapp.replied": _l("WhatsApp reply sent"),
    "case.closed": _l("Complaint closed"), "case.reopened": _l("Complaint reopened"),
    "case.reminded": _l("Entity reminded of an overdue complaint"),
    "case.escalated": _l("Overdue complaint escalated"), "cases.looked_up": _l("Complaints looked up by identity"),
    "consent.corrected": _l("Consent corrected"), "consent.recorded": _l("Consent recorded"),
    "entities.units_imported": _l("Local units imported"), "user.change_approved": _l("User change approved"),
    "user.change_requested": _l("User change requested"), "user.disabled": _l("User disabled"),
    "user.logout": _l("Signed out"), "survey.scheduled": _l("Satisfaction survey scheduled"),
    "survey.asked": _l("Satisfaction survey asked"), "survey.answered": _l("Satisfaction survey answered"),
    "survey.unanswered": _l("Satisfaction survey unanswered"), "survey.retry": _l("Satisfaction survey to be asked again"),
    "survey.switched": _l("Satisfaction survey moved to another channel"),
    "survey.cancelled": _l("Satisfaction survey cancelled"),
}
AUDIT_OBJECT = {"case": _l("Complaint"), "recording": _l("Recording"), "user": _l("User"),
                "entity": _l("Entity"), "routing_rule": _l("Routing rule"), "export": _l("Export"),
                "attachment": _l("Photo"), "job": _l("Job"), "survey": _l("Satisfaction survey")}
RECORDING_STATE = {"spooled": _l("waiting for encryption"), "stored": _l("stored encrypted"),
                   "pending": _l("encryption to be retried"), "invalid": _l("failed its check"),
                   "purged": _l("deleted after retention")}
NOTIFY_CHANNEL = {"sms": _l("Text message (SMS)"), "whatsapp": _l("WhatsApp"), "log": _l("Logged only")}
MESSAGE_STATE = {"pending": _l("received"), "processed": _l("received"), "failed": _l("failed"),
                 "queued": _l("waiting to be sent"), "sent": _l("sent"), "delivered": _l("delivered"),
                 "read": _l("read")}
NOTIFY_STATE = {"queued": _l("Waiting"), "sent": _l("Sent"), "failed": _l("Failed")}

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


def person(text: str | None) -> Markup:
    """A person's or account's name as typed (never translated, isolated in either direction)."""
    if not text:
        return Markup("—")
    return Markup('<bdi translate="no">{}</bdi>').format(text)


def actor(code: str | None) -> Markup:
    """Who made a history entry: a system actor by its label, a person by their user name."""
    if code in ACTOR:
        return Markup.escape(str(ACTOR[code]))
    if code and code.startswith("open311:"):
        return Markup.escape(str(CHANNEL["open311"]))
    return person(code)


def name(table: dict, code: str | None) -> str:
    """A code's display name from ``table``; "—" for none, and an unknown code as it is."""
    if not code:
        return "—"
    found = table.get(code)
    return str(found) if found is not None else code


def choices(table: dict, empty: str = "—") -> list[SelectChoice]:
    """Select options for a code table, with an empty first choice."""
    return options([("", empty)] + [(code, str(text)) for code, text in table.items()])


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as wtforms options."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def category_choices(empty: str = "—") -> list[SelectChoice]:
    """The nine categories in keypad order, named in the page's language."""
    return options([("", empty)] + [(c.code, c.name_ar if arabic() else c.name_en)
                                    for c in reference.categories()])


def governorate_choices(empty: str = "—") -> list[SelectChoice]:
    """The 27 governorates in menu order, named in the page's language."""
    return options([("", empty)] + [(g.slug, g.name_ar if arabic() else g.name_en)
                                    for g in reference.governorates()])
