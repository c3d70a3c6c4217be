"""A killed worker's RQ scheduler lock: the pool frees it when its holder is dead on this host,
so the killed job's retry does not wait a minute for RQ's expiry — and never frees a live one."""
from __future__ import annotations

import os
import socket
import subprocess

import redis
from rq.scheduler import SCHEDULER_KEY_TEMPLATE, SCHEDULER_LOCKING_KEY_TEMPLATE

from transcription.pool import release_dead_schedulers


def _held(connection, queue: str, name: str, pid: int, host: str) -> None:
    connection.set(SCHEDULER_LOCKING_KEY_TEMPLATE % queue, name, ex=120)
    connection.hset(SCHEDULER_KEY_TEMPLATE % name, mapping={"name": name, "hostname": host, "pid": pid})


def test_only_a_dead_local_schedulers_lock_is_freed(redis_url):
    connection = redis.Redis.from_url(redis_url)
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid that was ours and is gone
    here = socket.gethostname()
    _held(connection, "dead-here", "s1", dead.pid, here)
    _held(connection, "alive-here", "s2", os.getpid(), here)
    _held(connection, "dead-elsewhere", "s3", dead.pid, here + "-other")
    connection.set(SCHEDULER_LOCKING_KEY_TEMPLATE % "no-record", "s4", ex=120)  # holder's hash expired

    queues = ["dead-here", "alive-here", "dead-elsewhere", "no-record", "unlocked"]
    assert release_dead_schedulers(redis_url, queues) == ["dead-here"]
    assert connection.get(SCHEDULER_LOCKING_KEY_TEMPLATE % "dead-here") is None
    for kept, owner in (("alive-here", b"s2"), ("dead-elsewhere", b"s3"), ("no-record", b"s4")):
        assert connection.get(SCHEDULER_LOCKING_KEY_TEMPLATE % kept) == owner


def test_redis_down_is_a_warning_not_a_crash(caplog):
    assert release_dead_schedulers("redis://127.0.0.1:1/0", ["default"]) == []
    assert "scheduler locks" in caplog.text
