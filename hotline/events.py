"""Events: what happened, for whoever watches (the console, the wallboard, other services).

The database is the source of truth; an event only says that something changed. With Redis an
event goes to a stream (history for re-sync) and to the Socket.IO message queue, addressed to
the rooms whose members may see it; without Redis it is dispatched in-process. Events carry ids
and codes, never unmasked personal data. Publishing never raises into a call: a failed publish
is logged and the call goes on. See docs/events.md.
"""
from __future__ import annotations

import json
import logging
import queue
import threading
import uuid
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from hotline import settings
from hotline.models import utcnow

log = logging.getLogger(__name__)

STREAM = "shakwa:events"
STREAM_MAXLEN = 100_000
SOCKETIO_CHANNEL = "flask-socketio"
NAMESPACE = "/live"

# Which permission lets a console user receive events of each family (see hotline.security).
AUDIENCE = {
    "call": "calls.view_live",
    "queue": "calls.view_live",
    "agent": "wallboard.view",
    "case": "cases.view",
    "recording": "cases.view",
    "transcript": "cases.view",
    "notification": "cases.view",
    "system": "wallboard.view",
    "session": "users.manage",  # session.revoked: each console disconnects that user's sockets
}


@dataclass(frozen=True)
class Event:
    """One thing that happened: ``type`` is ``family.action`` (``call.started``, ``case.routed``)."""

    type: str
    call_id: int | None = None
    case_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    at: str = field(default_factory=lambda: utcnow().isoformat())
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def family(self) -> str:
        return self.type.split(".", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Event":
        return cls(**{k: data[k] for k in ("type", "call_id", "case_id", "payload", "at", "id")
                      if k in data})

    def rooms(self) -> list[str]:
        """Socket.IO rooms allowed to receive this event."""
        rooms = [f"perm:{AUDIENCE.get(self.family, 'wallboard.view')}"]
        entity_id = self.payload.get("entity_id")
        if self.family in ("case", "transcript", "notification") and entity_id:
            rooms.append(f"entity:{entity_id}")
        return rooms


Subscriber = Callable[[Event], None]
_subscribers: list[Subscriber] = []
_recent: deque[dict] = deque(maxlen=1000)
_dispatch: queue.Queue[Event] = queue.Queue()
_dispatcher: threading.Thread | None = None
_lock = threading.Lock()
_emitter = None


def subscribe(callback: Subscriber) -> Callable[[], None]:
    """Call ``callback`` for every event published in this process; returns an unsubscribe."""
    with _lock:
        _subscribers.append(callback)
        _start_dispatcher()
    return lambda: _subscribers.remove(callback) if callback in _subscribers else None


def publish(event: Event) -> None:
    """Send an event to every watcher; never raises."""
    _recent.append(event.to_dict())
    if _subscribers:
        _dispatch.put(event)
    url = settings.get().redis_url
    if not url:
        return
    try:
        _publish_redis(url, event)
    except Exception as exc:  # Redis down: the database still has the truth.
        log.warning("event %s not published to Redis: %s", event.type, exc)


def _publish_redis(url: str, event: Event) -> None:
    from hotline import redis_conn

    data = event.to_dict()
    redis_conn.get(url).xadd(STREAM, {"event": json.dumps(data)}, maxlen=STREAM_MAXLEN,
                             approximate=True)
    _socketio_emitter(url).emit(event.type, data, namespace=NAMESPACE, room=event.rooms())


def _socketio_emitter(url: str):
    global _emitter
    if _emitter is None or _emitter.redis_url != url:
        import socketio

        _emitter = socketio.RedisManager(url, channel=SOCKETIO_CHANNEL, write_only=True)
    return _emitter


def recent(limit: int = 200) -> list[dict[str, Any]]:
    """The newest events, oldest first: the Redis stream when configured, else this process's."""
    url = settings.get().redis_url
    if url:
        from hotline import redis_conn

        try:
            rows = redis_conn.get(url).xrevrange(STREAM, count=limit)
            return [json.loads(fields[b"event"]) for _id, fields in reversed(rows)]
        except Exception as exc:
            log.warning("cannot read event history from Redis: %s", exc)
    return list(_recent)[-limit:]


def follow(callback: Subscriber, stop: threading.Event, *, block_ms: int = 2000) -> None:
    """Call ``callback`` for each event published from now on, by any process, through the Redis
    stream; returns when ``stop`` is set. (Embedded mode: use :func:`subscribe`.)"""
    from hotline import redis_conn

    url, last = settings.get().redis_url, "$"
    while not stop.is_set():
        try:
            # block_ms stays under the client's 5 s socket timeout.
            rows = redis_conn.get(url).xread({STREAM: last}, block=block_ms, count=100)
        except Exception as exc:  # Redis away: try again; the database still has the truth
            log.warning("cannot follow events on Redis: %s", exc)
            stop.wait(2)
            continue
        for _stream, entries in rows or ():
            for entry_id, fields in entries:
                last = entry_id
                try:
                    callback(Event.from_dict(json.loads(fields[b"event"])))
                except Exception:
                    log.exception("event follower %r failed", callback)


def publish_after_commit(session: Session, event: Event) -> None:
    """Publish ``event`` once ``session`` commits; drop it if the transaction rolls back."""
    session.info.setdefault("pending_events", []).append(event)


@sa_event.listens_for(Session, "after_commit")
def _flush_pending(session: Session) -> None:
    if session.in_nested_transaction():  # SQLAlchemy 2 fires this on a SAVEPOINT's release too
        return
    for pending in session.info.pop("pending_events", []):
        publish(pending)


@sa_event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop("pending_events", None)


def _start_dispatcher() -> None:
    global _dispatcher
    if _dispatcher is None or not _dispatcher.is_alive():
        _dispatcher = threading.Thread(target=_dispatch_loop, name="events", daemon=True)
        _dispatcher.start()


def _dispatch_loop() -> None:
    while True:
        event = _dispatch.get()
        for callback in list(_subscribers):
            try:
                callback(event)
            except Exception:
                log.exception("event subscriber %r failed on %s", callback, event.type)
        _dispatch.task_done()


def wait_dispatched() -> None:
    """Block until every event published so far has reached the in-process subscribers."""
    _dispatch.join()
