"""What the caller did in the IVR, in words: one sentence per step, in the page's language.

A ``CallStep`` keeps codes (``ok``, ``queued``, ``timeout`` / ``33862 samples``, a governorate
slug, a menu digit); an agent taking over a call wants "chose: Minya" and "recorded 4 seconds,
ended by the # key". The menu's digits come from config/menu.yaml, as the IVR reads them.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _, lazy_gettext as _l
from markupsafe import Markup

from agent_console import labels
from agent_console.formatting import isolated
from hotline import reference, resources

SAMPLE_RATE = 8000  # Asterisk records the hotline's calls at 8 kHz
MAIN_MENU = {"category": _l("New complaint"), "follow_up": _l("Follow-up of a complaint"),
             "whatsapp": _l("WhatsApp numbers"), "agent": _l("An agent")}


def say(text: str, **values) -> Markup:
    """A translated sentence with isolated values put in (``text`` is already translated)."""
    return Markup(text) % values


def _choices(step: str) -> dict[str, str]:
    options = resources.load_yaml("menu.yaml")["steps"].get(step, {})
    return {str(key): str(value) for key, value in (options.get("choices") or {}).items()}


def _generic(result: str | None, entered: str | None) -> str | None:
    """The results every menu step shares; None when the result is step-specific."""
    if result == "invalid":
        return say(_("wrong key %(key)s"), key=isolated(entered or ""))
    if result == "no_input":
        return _("no key pressed")
    if result == "hangup":
        return _("the caller hung up")
    return None


def describe(step) -> Markup:
    """One step as a sentence: the step's name, then what the caller chose or what happened."""
    title = labels.name(labels.IVR_STEP, step.step)
    detail = _generic(step.result, step.input)
    if detail is None:
        detail = _detail(step.step, step.input or "", step.result or "")
    return Markup("{}: {}").format(title, detail) if detail else Markup.escape(title)


def _detail(name: str, entered: str, result: str) -> str | Markup:
    chosen = _choices(name).get(entered, "")
    if name == "language":
        language = chosen or "ar"
        text = Markup('<span lang="{}">{}</span>').format(language, labels.LANGUAGE.get(language, language))
        return say(_("no key: %(language)s"), language=text) if result == "default" else text
    if name == "main_menu":
        return str(MAIN_MENU[chosen]) if chosen in MAIN_MENU else ""
    if name == "category":
        found = next((c for c in reference.categories() if c.digit == entered), None)
        return labels.category(found.code) if found else ""
    if name == "governorate":
        if result.startswith("page "):
            return say(_("page %(page)s of the menu"), page=isolated(result[5:]))
        return labels.governorate(result)
    if name == "national_id":
        if result == "skipped":
            return _("skipped")
        return say(_("entered %(masked)s"), masked=isolated(entered)) if entered else ""
    if name == "consent":
        return _("agrees to share the identity") if chosen in ("yes", "True") else \
            _("does not agree to share the identity")
    if name == "record":
        return _recorded(entered, result)
    if name == "recording_menu":
        return {"listen": _("listened to the recording"), "record": _("recorded again"),
                "save_complaint": _("confirmed the complaint")}.get(chosen, "")
    if name == "save_complaint":
        if result == "journaled":
            return _("kept while the database was unavailable, saved later")
        return say(_("saved as complaint %(number)s"), number=isolated(result))
    if name == "read_number":
        return _("the complaint number was read out") if result.startswith("said") else \
            _("the complaint number could not be read out")
    if name == "follow_up":
        if result == "not_found":
            return say(_("complaint %(number)s not found"), number=isolated(entered))
        if result == "not_verified":
            return _("the caller could not be verified")
        return say(_("complaint %(number)s: %(status)s"), number=isolated(entered),
                 status=labels.name(labels.STATUS, result))
    if name == "agent":
        return _("sent to the agent queue") if result == "queued" else _("no agent on duty")
    if name == "whatsapp":
        return _("the WhatsApp numbers were played")
    return ""


def _recorded(ended: str, result: str) -> str:
    samples = re.match(r"^(\d+) samples$", result)
    seconds = round(int(samples.group(1)) / SAMPLE_RATE) if samples else 0
    how = {"dtmf": _("ended by the # key"), "timeout": _("ended by silence or the time limit"),
           "hangup": _("ended when the caller hung up")}.get(ended, "")
    text = say(_("recorded %(seconds)s seconds"), seconds=isolated(str(seconds)))
    return Markup("{}، {}" if labels.arabic() else "{}, {}").format(text, how) if how else text
