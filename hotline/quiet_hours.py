"""Quiet hours: when no survey call or message goes out to a citizen (``survey_quiet_hours``)."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hotline import settings


def _span() -> tuple[time, time] | None:
    text = settings.get().survey_quiet_hours
    if not text:
        return None
    start, _, end = text.partition("-")
    return _clock(start), _clock(end)


def _clock(text: str) -> time:
    hours, minutes = map(int, text.split(":"))
    return time(0, minutes) if hours == 24 else time(hours, minutes)


def is_quiet(moment: datetime) -> bool:
    """True when ``moment`` (aware) falls in the quiet hours, local time; a span may pass midnight."""
    span = _span()
    if span is None:
        return False
    start, end = span
    now = moment.astimezone(ZoneInfo(settings.get().timezone)).time()
    return start <= now < end if start < end else (now >= start or now < end)


def next_allowed(moment: datetime) -> datetime:
    """``moment``, or the end of the quiet hours it falls in."""
    span = _span()
    if span is None or not is_quiet(moment):
        return moment
    zone = ZoneInfo(settings.get().timezone)
    local = moment.astimezone(zone)
    end = datetime.combine(local.date(), span[1], zone)
    if end <= local:
        end += timedelta(days=1)
    return end.astimezone(moment.tzinfo)
