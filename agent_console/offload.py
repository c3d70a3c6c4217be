"""CPU-bound calls off the gevent loop, so live pushes go on while they run."""
from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")


def call(func: Callable[..., T], *args, **kwargs) -> T:
    """``func(*args, **kwargs)``; in a gevent console (``run_ivr.py console``) on a native thread
    of gevent's pool, so the loop serving every socket of the process goes on meanwhile. Only for
    calls that release the GIL while they work, such as argon2 password hashing (50–150 ms here),
    which would otherwise hold every socket of the process that long."""
    from agent_console import async_mode

    if async_mode() == "gevent":
        import gevent

        return gevent.get_hub().threadpool.apply(func, args, kwargs)
    return func(*args, **kwargs)
