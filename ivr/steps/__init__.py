"""IVR steps, one module each. A step is ``run(call, options) -> next step name | None`` and
registers itself under the name config/menu.yaml uses."""
from __future__ import annotations

import importlib
import pkgutil
from typing import Callable

Step = Callable[..., "str | None"]
_steps: dict[str, Step] = {}


def register(name: str) -> Callable[[Step], Step]:
    """Make a step function known under ``name``."""
    def decorate(func: Step) -> Step:
        _steps[name] = func
        return func
    return decorate


def registry() -> dict[str, Step]:
    """Every step, by name (importing the step modules on first use)."""
    if not _steps:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
    return _steps
