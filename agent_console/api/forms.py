"""Validation of API request bodies (JSON, not HTML forms)."""
from __future__ import annotations

from hotline.errors import ValidationError
from hotline.models import CaseStatus


def status_change(body: object) -> tuple[CaseStatus, str | None]:
    """The target status and note of a status-change request, or a ValidationError."""
    if not isinstance(body, dict):
        raise ValidationError("the body must be a JSON object")
    try:
        status = CaseStatus(body.get("status"))
    except ValueError:
        raise ValidationError(f"status must be one of: {', '.join(s.value for s in CaseStatus)}") from None
    note = body.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > 2000 or "\x00" in note):
        raise ValidationError("note must be text of at most 2000 characters (no NUL)")
    return status, note
