"""Polling for a condition in tests that drive real processes."""
from __future__ import annotations

import time

import pytest


def wait_for(condition, what: str, seconds: float):
    """``condition()``'s first truthy value, polled every 0.2 s; fails the test after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")
