"""Arabic (or English) wording for the core's English validation messages."""
from __future__ import annotations

from flask_babel import gettext as _

_KNOWN = {
    "disposition required": lambda: _("Choose a disposition before taking another call or becoming available."),
    "a pause needs a reason": lambda: _("Choose a reason for the pause."),
    "this call was taken by another agent": lambda: _("Another agent already took this call."),
    "route the case first": lambda: _("Route the case before closing the call as \"case routed\"."),
    "choose the entity": lambda: _("Choose the entity to route the case to."),
    # hotline.grants: a second admin grants access
    "only an admin may change users": lambda: _("Only an admin may change users."),
    "entity officers, and only they, belong to an entity": lambda: _("Entity officers, and only they, belong to an entity."),
    "no one changes their own role, entity or state: ask another admin":
        lambda: _("No one changes their own role, entity or state: ask another admin."),
    "this request was already decided": lambda: _("This request was already decided."),
    "a second admin must decide: not the one who asked, nor its subject":
        lambda: _("A second admin must decide: not the one who asked, nor the user it changes."),
}


def translate(message: str) -> str:
    """The user's-language text for a core error message (the message itself if unknown)."""
    known = _KNOWN.get(message)
    if known is not None:
        return known()
    if "cannot be routed" in message or "cannot go from" in message:
        return _("This case cannot move to that status now.")
    return message
