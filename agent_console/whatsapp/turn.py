"""One inbound message being handled: what the citizen said, and what we answer."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from agent_console.whatsapp import replies, texts
from agent_console.whatsapp.models import Conversation, Message


@dataclass(frozen=True)
class Said:
    """An inbound message reduced to what the conversation needs."""

    kind: str  # text, choice, image, document, audio, location, ignored, unsupported
    text: str = ""  # typed text, a caption, or the title of a chosen option
    choice: str = ""  # the id of a chosen list row or button
    media_id: str = ""
    mime: str = ""
    latitude: float | None = None
    longitude: float | None = None


_IGNORED = {"reaction", "system", "ephemeral"}
MAX_TRIES = 3  # unusable answers in a row before a step gives up


def said(kind: str, message: dict) -> Said:
    """Read one message object of Meta's webhook (its ``type`` is ``kind``)."""
    part = message.get(kind) if isinstance(message.get(kind), dict) else {}
    if kind == "text":
        return Said("text", text=str(part.get("body") or ""))
    if kind == "interactive":
        reply = part.get("list_reply") or part.get("button_reply") or {}
        return Said("choice", text=str(reply.get("title") or ""), choice=str(reply.get("id") or ""))
    if kind == "button":  # a quick-reply button of a template message
        return Said("choice", text=str(part.get("text") or ""), choice=str(part.get("payload") or ""))
    if kind in ("image", "document", "audio"):
        return Said(kind, text=str(part.get("caption") or ""), media_id=str(part.get("id") or ""),
                    mime=str(part.get("mime_type") or ""))
    if kind == "location":
        try:
            return Said("location", text=str(part.get("address") or part.get("name") or ""),
                        latitude=float(part["latitude"]), longitude=float(part["longitude"]))
        except (KeyError, TypeError, ValueError):
            return Said("unsupported")
    return Said("ignored" if kind in _IGNORED else "unsupported")


@dataclass
class Turn:
    """The state a step handler works with, and the replies and jobs it produces."""

    session: Session
    conversation: Conversation
    message: Message | None  # None when no message causes the turn (the sweeper's time-out)
    said: Said
    replies: list[replies.Reply] = field(default_factory=list)
    jobs: list[tuple[str, tuple, str]] = field(default_factory=list)  # after commit

    @property
    def language(self) -> str:
        return self.conversation.language

    @property
    def data(self) -> dict:
        return self.conversation.data

    def remember(self, **values) -> None:
        """Keep values for later steps (the JSON column needs a new dict to notice the change)."""
        self.conversation.data = {**(self.conversation.data or {}), **values}

    def text(self, name: str, **values) -> str:
        return texts.say(name, self.language, **values)

    def say(self, name: str, **values) -> None:
        """Answer with the configured text ``name``."""
        self.replies.append(replies.text(self.text(name, **values)))

    def ask(self, reply: replies.Reply) -> None:
        self.replies.append(reply)

    def go(self, state: str | None) -> None:
        """Move to step ``state`` (None: the conversation is over), with a fresh retry count."""
        self.conversation.state = state
        self.remember(tries=0)

    def end(self) -> None:
        """End the conversation and its hold on a case (done, cancelled or timed out)."""
        self.conversation.case_id = None
        self.conversation.data = {}
        self.go(None)

    def retry(self, ask=None) -> None:
        """An answer we cannot use: say so and ask again (``ask(turn)``); after MAX_TRIES start
        over, unless a case is open: then keep asking, never drop it."""
        if self.tried() >= MAX_TRIES and self.conversation.case_id is None:
            self.say("not_understood", hint="")
            self.end()
            return
        hint = self.text("ask_photos") if self.conversation.state == "photos" else ""
        self.say("not_understood", hint=hint)
        if ask is not None:
            ask(self)

    def tried(self) -> int:
        """Count one more unusable answer at this step; returns the count."""
        tries = int(self.data.get("tries", 0)) + 1
        self.remember(tries=tries)
        return tries

    def is_word(self, kind: str) -> bool:
        return self.said.choice == kind or texts.is_word(kind, self.said.text)
