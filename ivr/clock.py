"""A fixed 'now' for tests and demos (``--at``), so office hours never depend on the wall clock."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hotline.errors import UsageError


def parse_at(text: str | None, timezone: str):
    """A clock returning ``text`` (ISO date-time, local time when naive), or None for the real one."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--at: not an ISO date and time: {text!r} (e.g. 2025-01-05T10:00)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return lambda: moment
