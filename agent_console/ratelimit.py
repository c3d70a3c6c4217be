"""Login attempt limiting: a few failures per user name and address, then a pause.

With Redis the counters are shared by every console process; without it they live here.
"""
from __future__ import annotations

import threading
import time

from hotline import redis_conn, settings

MAX_FAILURES = 5
WINDOW_SECONDS = 300

_lock = threading.Lock()
_local: dict[str, list[float]] = {}


def _key(username: str, address: str) -> str:
    return f"shakwa:login:{username.lower()}:{address}"


def blocked(username: str, address: str) -> bool:
    """True when this user name from this address failed too often recently."""
    return _count(_key(username, address)) >= MAX_FAILURES


def failed(username: str, address: str) -> None:
    """Count one failed attempt."""
    key, url = _key(username, address), settings.get().redis_url
    if url:
        client = redis_conn.get(url)
        pipe = client.pipeline()
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS)
        pipe.execute()
        return
    with _lock:
        _local.setdefault(key, []).append(time.monotonic())


def succeeded(username: str, address: str) -> None:
    """Forget the failures after a good sign-in."""
    key, url = _key(username, address), settings.get().redis_url
    if url:
        redis_conn.get(url).delete(key)
    with _lock:
        _local.pop(key, None)


def _count(key: str) -> int:
    url = settings.get().redis_url
    if url:
        return int(redis_conn.get(url).get(key) or 0)
    cutoff = time.monotonic() - WINDOW_SECONDS
    with _lock:
        recent = [t for t in _local.get(key, []) if t > cutoff]
        _local[key] = recent
        return len(recent)
