"""A console app for a test, and its event subscription ended after it (one place for both)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from hotline import settings


@contextmanager
def console_app(conf: settings.Settings | None = None, *, testing: bool = True) -> Iterator:
    """The console on ``conf`` (the installed settings with cookies over plain HTTP by default);
    on the way out it stops following events, so a test's app does not hear the next test's."""
    from agent_console import create_app

    application = create_app(conf or settings.get().replace(console_secure_cookies=False))
    application.config["TESTING"] = testing
    try:
        yield application
    finally:
        unsubscribe = application.extensions.get("shakwa.unsubscribe")
        if unsubscribe:
            unsubscribe()
