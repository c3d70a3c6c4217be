"""Office hours: whether agents are on duty at a given moment (settings: office_hours/days, timezone)."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from hotline.settings import Settings

_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def on_duty(conf: Settings, now: datetime) -> bool:
    """True when ``now`` (an aware datetime) falls in office hours on an office day."""
    local = now.astimezone(ZoneInfo(conf.timezone))
    start, _, end = conf.office_hours.partition("-")
    opens, closes = _clock(start), _clock(end)
    if _DAYS[local.weekday()] not in conf.office_days:
        return False
    return opens <= local.time() and (closes is None or local.time() < closes)


def _clock(text: str) -> time | None:
    hours, minutes = map(int, text.split(":"))
    return None if hours == 24 else time(hours, minutes)
