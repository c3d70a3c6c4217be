"""Reading the Cloud API webhook body: inbound messages and delivery statuses, as Meta publishes them.

A body is ``{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",
"value": {"metadata": {...}, "contacts": [...], "messages": [...], "statuses": [...]}}]}]}``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from hotline import pii, settings


class PayloadError(ValueError):
    """The body is not a WhatsApp Business Account webhook."""


@dataclass(frozen=True)
class Inbound:
    """One message a citizen sent to one of our numbers."""

    wa_message_id: str
    wa_id: str  # the citizen's WhatsApp id, e.g. "201012345678"
    business_number: str
    phone_number_id: str
    kind: str  # the message "type"
    message: dict[str, Any]  # the message object without "from"


@dataclass(frozen=True)
class StatusUpdate:
    """Meta's word on a message we sent: sent, delivered, read or failed."""

    wa_message_id: str
    status: str
    error: str | None


def business_number(phone_number_id: str, display_number: str) -> str | None:
    """Which of our numbers a delivery is for: by phone_number_id, else by the display number."""
    numbers = settings.get().whatsapp_numbers
    for number, number_id in numbers:
        if number_id and number_id == phone_number_id:
            return number
    display = pii.normalise("phone", display_number or "")
    for number, _ in numbers:
        if number == display:
            return number
    return None


def _objects(parent: dict, key: str) -> list[dict]:
    """``parent[key]`` as a list of objects; any other shape is a malformed body."""
    items = parent.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise PayloadError(f"{key!r} must be a list of objects")
    return items


def _values(body: Any) -> Iterator[dict]:
    if not isinstance(body, dict) or body.get("object") != "whatsapp_business_account":
        raise PayloadError("not a whatsapp_business_account webhook")
    for entry in _objects(body, "entry"):
        for change in _objects(entry, "changes"):
            if change.get("field") == "messages" and isinstance(change.get("value"), dict):
                yield change["value"]


def read(body: Any) -> tuple[list[Inbound], list[StatusUpdate], list[str]]:
    """The messages, statuses, and problems (deliveries for numbers that are not ours) of a body."""
    messages, statuses, problems = [], [], []
    for value in list(_values(body)):  # the whole body is checked before any of it is read
        metadata = value.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise PayloadError("'metadata' must be an object")
        number_id = str(metadata.get("phone_number_id") or "")
        number = business_number(number_id, str(metadata.get("display_phone_number") or ""))
        for item in _objects(value, "statuses"):
            if item.get("id") and item.get("status"):
                errors = _objects(item, "errors")
                error = "; ".join(f"{e.get('code')}: {e.get('title') or e.get('message')}"
                                  for e in errors) or None
                statuses.append(StatusUpdate(str(item["id"]), str(item["status"]), error))
        for item in _objects(value, "messages"):
            if not item.get("id") or not item.get("from"):
                continue
            if number is None:
                problems.append(f"message {item['id']} for unknown phone_number_id {number_id!r}")
                continue
            message = {k: v for k, v in item.items() if k != "from"}
            messages.append(Inbound(str(item["id"]), str(item["from"]), number, number_id,
                                    str(item.get("type") or "unknown"), message))
    return messages, statuses, problems
