"""The simulated caller: what they do during each command that waits on them.

A script is a list of actions consumed in order by the commands that listen to the caller:
GET DATA and WAIT FOR DIGIT always take one; STREAM FILE and SAY DIGITS/NUMBER take one only
when they have escape digits; RECORD FILE takes a ``Speak`` or a ``#``; any of them takes a
``HangUp``. ``keys("1 1 - 29001011234567# 3")`` builds a script from keypad tokens.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

KEYS = set("0123456789*#")


@dataclass(frozen=True)
class Press:
    """One key pressed ``at_ms`` into the command (default: half-way through the prompt)."""

    key: str
    at_ms: float | None = None


@dataclass(frozen=True)
class Type:
    """Several keys typed into GET DATA (a trailing ``#`` ends input)."""

    keys: str


@dataclass(frozen=True)
class Silence:
    """The caller presses nothing: the command times out."""


@dataclass(frozen=True)
class HangUp:
    """The caller hangs up ``at_ms`` into the command (default: at once)."""

    at_ms: float | None = None
    typed: str = ""


@dataclass(frozen=True)
class Speak:
    """The caller talks into RECORD FILE: ``samples`` of audio end with dtmf/silence/timeout/hangup."""

    samples: int | None = None
    end: str = "silence"
    leftover_ms: int | None = None
    audio: Path | None = None


@dataclass(frozen=True)
class Agent:
    """What the queue or the dialled agent does: ``answered`` then hangs up, or not."""

    answered: bool = True
    status: str | None = None


Action = Press | Type | Silence | HangUp | Speak | Agent


def keys(text: str) -> list[Action]:
    """Actions from keypad tokens: ``1`` a key, ``123#`` typed digits, ``-`` nothing, ``!`` hang up."""
    actions: list[Action] = []
    for token in text.split():
        if token in ("-", "t", "timeout"):
            actions.append(Silence())
        elif token in ("!", "hangup"):
            actions.append(HangUp())
        elif not set(token) <= KEYS:
            raise ValueError(f"not a keypad token: {token!r} (use 0-9 * #, - for no key, ! to hang up)")
        elif len(token) == 1:
            actions.append(Press(token))
        else:
            actions.append(Type(token))
    return actions


class Caller:
    """A queue of actions with the caller's number and name."""

    def __init__(self, actions: list[Action] | None = None, *, number: str = "01001234567",
                 name: str = "Citizen Test", audio: Path | None = None):
        self.actions: deque[Action] = deque(actions or [])
        self.number, self.name, self.audio = number, name, audio

    def peek(self) -> Action | None:
        return self.actions[0] if self.actions else None

    def take(self) -> Action:
        """The next action; silence once the script is used up."""
        return self.actions.popleft() if self.actions else Silence()

    def take_if(self, *kinds: type) -> Action | None:
        """The next action if it is one of ``kinds``."""
        if self.actions and isinstance(self.actions[0], kinds):
            return self.actions.popleft()
        return None
