"""Socket.IO namespace ``/live``: sessions only, rooms per permission, re-sync on (re)connect.

Events reach browsers by room (docs/events.md). With Redis, other processes emit through the
message queue and this server only forwards; embedded, this process subscribes to
``hotline.events`` and emits itself.
"""
from __future__ import annotations

import logging
import threading

from flask import Flask, request
from flask_login import current_user
from flask_socketio import Namespace, SocketIO, join_room

from agent_console import database, livestate
from agent_console.access import socket_requires
from hotline import callqueue, db, events, scope, settings

log = logging.getLogger(__name__)


class LiveNamespace(Namespace):
    """The one namespace browsers connect to; every event handler checks a permission."""

    def on_connect(self, auth=None):
        # No session, no socket: refusing here means no room is ever joined.
        if not current_user.is_authenticated or not current_user.active:
            raise ConnectionRefusedError("unauthorized")
        for permission in current_user.permissions:
            join_room(f"perm:{permission}")
        if current_user.can("cases.view_entity"):
            # The entity and every unit below it: the same scope as the inbox (hotline.scope).
            for entity_id in scope.visible_entity_ids(database.session(), current_user) or ():
                join_room(f"entity:{entity_id}")
        join_room(f"user:{current_user.id}")

    def on_disconnect(self, reason=None):
        log.debug("socket %s left: %s", request.sid, reason)

    @socket_requires("calls.view_live")
    def on_sync(self, _data=None):
        """Calls in the IVR and in the queue, as the database and event history know them."""
        return livestate.snapshot(database.session())

    @socket_requires("wallboard.view")
    def on_wallboard(self, _data=None):
        """The wallboard's figures now."""
        from agent_console.wallboard import board

        return board.figures(database.session())


def disconnect_user(socketio: SocketIO, user_id) -> int:
    """Close this process's sockets of ``user_id`` (their rooms go with them); how many."""
    manager = socketio.server.manager
    sids = [sid for sid, _eio in manager.get_participants(events.NAMESPACE, f"user:{user_id}")]
    for sid in sids:
        socketio.server.disconnect(sid, namespace=events.NAMESPACE)
    return len(sids)


def install(app: Flask, socketio: SocketIO) -> None:
    """Register the namespace; relay in-process events (embedded) or follow Redis's stream."""
    socketio.on_namespace(LiveNamespace(events.NAMESPACE))
    app.extensions["shakwa.live"] = socketio
    if settings.get().embedded:
        app.extensions["shakwa.unsubscribe"] = events.subscribe(relay(app, socketio))
        return
    # With Redis the message queue carries events to browsers; this process still reacts to them.
    stop = threading.Event()
    threading.Thread(target=events.follow, args=(lambda event: react(app, event), stop),
                     name="console-events", daemon=True).start()
    app.extensions["shakwa.unsubscribe"] = stop.set


def relay(app: Flask, socketio: SocketIO):
    """An event subscriber that emits each event to its rooms (embedded mode)."""

    def forward(event: events.Event) -> None:
        socketio.emit(event.type, event.to_dict(), namespace=events.NAMESPACE, to=event.rooms())
        react(app, event)

    return forward


def react(app: Flask, event: events.Event) -> None:
    """What the console itself does on an event: a taken call that ends puts its agent in wrap-up;
    a queue event is counted for the wallboard (hotline.callqueue); a revoked session's sockets
    on this console are disconnected."""
    if event.type == "session.revoked":
        disconnect_user(app.extensions["shakwa.live"], event.payload.get("user_id"))
    if event.type == "call.ended" and event.call_id:
        from agent_console import agents

        with app.app_context(), db.session_scope() as session:
            agents.wrap_up_on_hangup(session, event.call_id)
    elif event.type in callqueue.EVENTS:
        with app.app_context(), db.session_scope() as session:
            callqueue.record(session, event)
