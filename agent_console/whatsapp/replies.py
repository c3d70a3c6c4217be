"""Replies as the Cloud API's message bodies: plain text, reply buttons, or a list message.

Limits from Meta's reference: at most 3 buttons with titles of 20 characters; a list of at most
10 rows with titles of 24 and descriptions of 72 characters; a body of at most 1,024 characters.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reply:
    """One message to the citizen; ``kind`` is text, buttons or list."""

    text: str
    kind: str = "text"
    options: tuple[tuple[str, str, str], ...] = field(default=())  # (id, title, description)
    button: str = ""  # the list message's button label

    def body(self) -> dict:
        """The message body to POST (without ``messaging_product`` and ``to``)."""
        if self.kind == "buttons":
            return {"type": "interactive", "interactive": {
                "type": "button", "body": {"text": self.text[:1024]},
                "action": {"buttons": [{"type": "reply", "reply": {"id": i, "title": t[:20]}}
                                       for i, t, _ in self.options[:3]]}}}
        if self.kind == "list":
            return {"type": "interactive", "interactive": {
                "type": "list", "body": {"text": self.text[:1024]},
                "action": {"button": self.button[:20], "sections": [{"title": self.button[:24], "rows": [
                    {"id": i, "title": t[:24], "description": d[:72]} for i, t, d in self.options[:10]]}]}}}
        return {"type": "text", "text": {"preview_url": False, "body": self.text[:4096]}}


def text(body: str) -> Reply:
    """A plain text reply."""
    return Reply(body)


def buttons(body: str, *options: tuple[str, str]) -> Reply:
    """A reply with up to three quick-reply buttons ``(id, title)``."""
    return Reply(body, "buttons", tuple((i, t, "") for i, t in options))


def choice_list(body: str, button: str, rows: list[tuple[str, str, str]]) -> Reply:
    """A list message; a text fallback is in ``body`` for clients that cannot show lists."""
    return Reply(body, "list", tuple(rows), button)
