"""The call flow as data: config/menu.yaml, read once per process."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from hotline import resources
from hotline.errors import SettingsError


@dataclass(frozen=True)
class Menu:
    """The parsed menu: where a call starts, the retry rules and each step's options."""

    start: str
    menu_timeout_ms: int
    digits_timeout_ms: int
    max_tries: int
    failure_context: str
    steps: dict[str, dict[str, Any]]

    def step(self, name: str) -> dict[str, Any]:
        """A step's options (an empty dict for a step menu.yaml does not configure)."""
        return self.steps.get(name) or {}

    def greeting(self) -> tuple[str, str]:
        """(the first prompt of the start step, the keys that answer it): what a caller hears the
        moment the call is answered, begun before anything else loads (the start step reads its
        reply with ``Channel.finish``)."""
        options = self.step(self.start)
        prompt = (options.get("prompts") or [options.get("prompt")])[0]
        return prompt, "".join(str(key) for key in options.get("choices", {}))


@cache
def load(name: str = "menu.yaml") -> Menu:
    """The menu in config/``name``; a SettingsError names what is wrong."""
    data = resources.load_yaml(name)
    try:
        menu = Menu(data["start"], int(data["menu_timeout_ms"]), int(data["digits_timeout_ms"]),
                    int(data["max_tries"]), str(data["failure_context"]), dict(data["steps"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise SettingsError(f"{name}: missing or wrong {exc}") from None
    from ivr.steps import registry

    unknown = [step for step in menu.steps if step not in registry()]
    if unknown or menu.start not in menu.steps:
        raise SettingsError(f"{name}: no step module for {unknown or [menu.start]}")
    return menu
