"""Agents in Asterisk's queue follow their console state: QueueAdd, QueuePause over AMI.

An agent who makes themselves available is added to the queue (``agent_interface`` with their
extension) and unpaused; paused or in wrap-up they stay a member but paused, so Asterisk offers
them no call (and the console pops nothing); ``on_call`` leaves Asterisk alone (it knows the
member is busy). At every AMI login the whole queue is set from the database, so a restarted
Asterisk (dynamic members are not kept) or a bridge that missed events comes back right.
"""
from __future__ import annotations

import logging
import threading

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from hotline import db, events, settings
from hotline.models import AgentState, User
from ivr.manager import ManagerException

log = logging.getLogger(__name__)


def interface(extension: str) -> str:
    """The queue member interface of an agent's extension (setting ``agent_interface``)."""
    return settings.get().agent_interface.format(extension=extension)


class Membership:
    """Sends each agent's state to the queue through the bridge's current AMI session."""

    def __init__(self, queue: str | None = None):
        self.queue = queue or settings.get().queue_name
        self.manager = None  # the logged-in session, or None between sessions
        self._lock = threading.Lock()
        self.sent: list[dict] = []  # the actions sent (for the log and tests)

    def attach(self, manager) -> None:
        """A new AMI session: set every agent's membership from the database."""
        with self._lock:
            self.manager = manager
        for extension, state, reason in self._agents():
            self.apply(extension, state, reason)

    def detach(self) -> None:
        with self._lock:
            self.manager = None

    def on_event(self, event: events.Event) -> None:
        """``agent.state`` from the console: make the queue follow it (never raises)."""
        if event.type != "agent.state":
            return
        try:
            with db.session_scope() as session:
                user = session.get(User, event.payload.get("user_id"))
                extension = user.extension if user is not None else None
        except SQLAlchemyError as exc:
            log.warning("agent state not sent to the queue: %s", exc)
            return
        if extension:
            self.apply(extension, event.payload.get("state"), event.payload.get("reason"))

    def apply(self, extension: str, state: str | None, reason: str | None = None) -> None:
        """QueueAdd and unpause an available agent; pause one paused or in wrap-up."""
        member = interface(extension)
        if state == "available":
            self._send({"Action": "QueueAdd", "Queue": self.queue, "Interface": member,
                        "MemberName": extension, "Paused": "false"}, ignore="Already there")
            self._send({"Action": "QueuePause", "Queue": self.queue, "Interface": member,
                        "Paused": "false"})
        elif state in ("paused", "wrap_up"):
            self._send({"Action": "QueueAdd", "Queue": self.queue, "Interface": member,
                        "MemberName": extension, "Paused": "true"}, ignore="Already there")
            self._send({"Action": "QueuePause", "Queue": self.queue, "Interface": member,
                        "Paused": "true", "Reason": reason or state})

    def _send(self, action: dict, ignore: str = "") -> None:
        with self._lock:
            manager = self.manager
            if manager is None:
                return  # the next login sets the whole queue again
            try:
                reply = manager.send_action(dict(action))
            except ManagerException as exc:
                log.warning("AMI %s %s not sent: %s", action["Action"], action.get("Interface"), exc)
                return
            self.sent.append(action)
            message = reply.get_header("Message", "") if reply is not None else ""
            if reply is not None and reply.get_header("Response", "") == "Error" and ignore not in message:
                log.warning("AMI %s %s: %s", action["Action"], action.get("Interface"), message)

    def _agents(self) -> list[tuple[str, str, str | None]]:
        try:
            with db.session_scope() as session:
                rows = session.execute(select(User.extension, AgentState.state, AgentState.reason)
                                       .join(AgentState, AgentState.user_id == User.id)
                                       .where(User.extension.is_not(None), User.extension != "")).all()
                return [tuple(row) for row in rows]
        except SQLAlchemyError as exc:
            log.warning("agents' states not read for the queue: %s", exc)
            return []
