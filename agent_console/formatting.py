"""How numbers, dates and identifiers read on a page: one digit system per language, isolated.

Arabic pages write every number in Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩), as Egyptian print and the
national ID card do: counts, times and dates, and identifiers alike (complaint numbers, phone
numbers, national IDs). English pages write 0-9. What a person types is kept as typed, and every
form accepts both digit systems (``hotline.pii.normalise``).

Identifiers and dates are wrapped in ``<bdi>``: a left-to-right run such as ``010****9978`` inside
right-to-left text would otherwise be reordered by its neighbours (``9978****010``).
"""
from __future__ import annotations

from datetime import datetime

from babel import numbers
from flask import Flask
from flask_babel import format_datetime, format_decimal, get_locale
from markupsafe import Markup, escape

from agent_console import labels
from hotline.cases import is_overdue

EASTERN = str.maketrans("0123456789%", "٠١٢٣٤٥٦٧٨٩٪")


def locale_code() -> str:
    return "ar" if labels.arabic() else "en"


def digits(text) -> str:
    """``text`` with its digits in the page's digit system."""
    text = "" if text is None else str(text)
    return text.translate(EASTERN) if labels.arabic() else text


def number(value) -> str:
    """A count in the page's digits and separators ("—" for none)."""
    if value is None:
        return "—"
    if labels.arabic():
        return digits(numbers.format_decimal(value, locale=get_locale(), numbering_system="arab"))
    return format_decimal(value)


def percent(value) -> str:
    """A whole percentage in the page's digits and sign ("—" for none)."""
    return "—" if value is None else digits(f"{number(value)}%")


def isolated(text, direction: str = "ltr") -> Markup:
    """An identifier (complaint number, phone, masked ID) as a direction-isolated run."""
    if text is None or text == "":
        return Markup("—")
    return Markup('<bdi dir="{}">{}</bdi>').format(direction, digits(text))


def code(text) -> Markup:
    """A code or a format's name as it is written in any language (an entity code, CSV, CC BY
    4.0): isolated left to right and marked not to be translated, digits as they are."""
    if text is None or text == "":
        return Markup("—")
    return Markup('<bdi dir="ltr" translate="no">{}</bdi>').format(text)


def when(value: datetime | None) -> Markup:
    """A date and time in the page's language and digits, isolated, machine-readable too."""
    if not value:
        return Markup("—")
    shown = format_datetime(value, "d MMM y، HH:mm" if labels.arabic() else "d MMM y, HH:mm")
    return Markup('<bdi><time datetime="{}">{}</time></bdi>').format(value.isoformat(), digits(shown))


def duration(seconds) -> str:
    """Seconds as m:ss (h:mm:ss past an hour), in the page's digits."""
    seconds = max(0, int(seconds or 0))
    hours, rest = divmod(seconds, 3600)
    text = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
    return digits(text)


def arrow() -> str:
    """The arrow that points forward in the page's direction."""
    return "←" if labels.arabic() else "→"


def install(app: Flask) -> None:
    """Register the filters and globals the templates use."""
    app.template_filter("when")(when)
    app.template_filter("number")(number)
    app.template_filter("digits")(digits)
    app.template_filter("percent")(percent)
    app.template_filter("ltr")(isolated)
    app.template_filter("code")(code)
    app.template_filter("duration")(duration)
    app.jinja_env.globals.update(
        labels=labels, lang=locale_code, arrow=arrow, escape=escape, overdue=is_overdue, code=code,
        direction=lambda: "rtl" if labels.arabic() else "ltr",
        locale=lambda: str(get_locale()))
