"""The demo's agent queue, played as Asterisk would: a queued caller waits, the agent who has been
available longest answers (AgentConnect), or the caller gives up (QueueCallerAbandon).

Events go out through the fake AMI server and the real AMI bridge, so the console sees what it
would see from a real PBX: the wallboard's waits, service level and abandoned calls, and the
screen pop on the answering agent. An agent is available when they say so in the console.
"""
from __future__ import annotations

import importlib
import threading
import time

from sqlalchemy import select

from hotline import db

OFFER_GRACE = 30.0  # seconds an agent who was offered a call is not offered another


class DemoQueue:
    """Callers waiting for agents, one thread each; ``pace`` scales every wait (0: at once)."""

    def __init__(self, ami, stop: threading.Event, pace: float, rng):
        self.ami, self.stop, self.pace, self.rng = ami, stop, pace, rng
        self.events = importlib.import_module("ivr.sim.ami")
        self._offered: dict[str, float] = {}
        self._lock = threading.Lock()

    def serve(self, uniqueid: str) -> str:
        """Join the queue and wait: 'answered' by an available agent, or 'abandoned'."""
        self.ami.emit(self.events.queue_caller_join(uniqueid))
        with self._lock:
            ring = self.rng.uniform(3, 12) * self.pace  # an agent's phone rings a little first
            patience = self.rng.uniform(40, 120) * self.pace if self.pace else 20.0
        start = time.monotonic()
        while not self.stop.is_set():
            waited = time.monotonic() - start
            if waited >= ring:
                agent = self._free_agent()
                if agent is not None:
                    extension, name = agent
                    self.ami.emit(self.events.agent_connect(uniqueid, f"PJSIP/{extension}",
                                                            hold_time=round(waited), member_name=name))
                    return "answered"
            if waited >= patience:
                self.ami.emit(self.events.queue_caller_abandon(uniqueid, hold_time=round(waited)))
                return "abandoned"
            self.stop.wait(0.25)
        return "abandoned"

    def _free_agent(self) -> tuple[str, str] | None:
        """The extension and name of the agent available longest who was not just offered a call."""
        from hotline.models import User

        AgentState = importlib.import_module("agent_console.models").AgentState  # composed by name
        with db.session_scope() as session:
            rows = session.execute(
                select(User.extension, User.username).join(AgentState, AgentState.user_id == User.id)
                .where(AgentState.state == "available", User.extension.is_not(None), User.active.is_(True))
                .order_by(AgentState.since)).all()
        now = time.monotonic()
        with self._lock:
            for extension, name in rows:
                if now - self._offered.get(extension, -OFFER_GRACE) >= OFFER_GRACE:
                    self._offered[extension] = now
                    return extension, name
        return None
