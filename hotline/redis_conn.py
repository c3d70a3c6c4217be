"""One Redis client per URL per process."""
from __future__ import annotations

import threading

_clients: dict[str, object] = {}
_lock = threading.Lock()


def get(url: str):
    """A shared ``redis.Redis`` for ``url`` (bytes responses, short timeouts)."""
    with _lock:
        client = _clients.get(url)
        if client is None:
            import redis

            client = _clients[url] = redis.Redis.from_url(
                url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30)
        return client


def reset() -> None:
    """Forget every client (after fork, or between tests)."""
    with _lock:
        _clients.clear()
