"""Template helpers: Egyptian dates and numbers, names of codes, the page's direction."""
from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_datetime, format_decimal, get_locale

from agent_console import labels


def locale_code() -> str:
    return "ar" if labels.arabic() else "en"


def install(app: Flask) -> None:
    """Register the filters and globals the templates use."""

    @app.template_filter("when")
    def when(value: datetime | None) -> str:
        return format_datetime(value, "d MMM y، HH:mm" if labels.arabic() else "d MMM y, HH:mm") if value else "—"

    @app.template_filter("number")
    def number(value) -> str:
        return format_decimal(value) if value is not None else "—"

    app.jinja_env.globals.update(
        labels=labels, lang=locale_code,
        direction=lambda: "rtl" if labels.arabic() else "ltr",
        locale=lambda: str(get_locale()))
