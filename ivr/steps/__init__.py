"""IVR steps, one module each. A step is ``run(call, options) -> next step name | None`` and
registers itself under the name config/menu.yaml uses."""
from __future__ import annotations

import importlib
import pkgutil
import threading
from typing import Callable

Step = Callable[..., "str | None"]
_steps: dict[str, Step] = {}
_loaded = threading.Event()
_loading = threading.Lock()


def register(name: str) -> Callable[[Step], Step]:
    """Make a step function known under ``name``."""
    def decorate(func: Step) -> Step:
        _steps[name] = func
        return func
    return decorate


def registry() -> dict[str, Step]:
    """Every step, by name (importing the step modules on first use)."""
    if not _loaded.is_set():
        # Two first calls at once (a FastAGI server's threads): the second must not see the
        # registry half filled by the first one's imports.
        with _loading:
            if not _loaded.is_set():  # not filled by the caller this one waited for
                for module in pkgutil.iter_modules(__path__):
                    importlib.import_module(f"{__name__}.{module.name}")
                _loaded.set()
    return _steps
