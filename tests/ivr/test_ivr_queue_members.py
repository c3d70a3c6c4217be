"""Agents' console states become queue membership: what the AMI bridge sends Asterisk."""
from __future__ import annotations

from hotline import db, events, users
from hotline.models import AgentState, utcnow
from ivr.queue_members import Membership


class Manager:
    """Records the AMI actions (the real PBX test sends them to Asterisk itself)."""

    def __init__(self):
        self.actions = []

    def send_action(self, action):
        self.actions.append(action)
        return None


def _agent(extension: str, state: str, reason: str | None = None) -> int:
    with db.session_scope() as session:
        user = users.create_user(session, username=f"agent{extension}", password="agent-password-1",
                                 role="agent", extension=extension)
        session.add(AgentState(user_id=user.id, state=state, reason=reason, since=utcnow()))
        return user.id


def test_every_login_sets_the_queue_from_the_agents_states(db_url):
    _agent("1001", "available")
    _agent("1002", "wrap_up")
    _agent("1003", "paused", "break")
    manager = Manager()
    Membership("hotline").attach(manager)
    paused = {a["Interface"]: a["Paused"] for a in manager.actions if a["Action"] == "QueuePause"}
    assert paused == {"PJSIP/1001": "false", "PJSIP/1002": "true", "PJSIP/1003": "true"}
    added = [a["Interface"] for a in manager.actions if a["Action"] == "QueueAdd"]
    assert sorted(added) == ["PJSIP/1001", "PJSIP/1002", "PJSIP/1003"]
    reasons = {a["Interface"]: a.get("Reason") for a in manager.actions if a["Action"] == "QueuePause"}
    assert reasons["PJSIP/1002"] == "wrap_up" and reasons["PJSIP/1003"] == "break"


def test_a_state_change_reaches_the_queue_and_on_call_is_left_to_asterisk(db_url):
    user_id = _agent("1004", "available")
    membership, manager = Membership("hotline"), Manager()
    membership.attach(manager)
    manager.actions.clear()
    membership.on_event(events.Event("agent.state", payload={"user_id": user_id, "state": "wrap_up"}))
    assert [(a["Action"], a.get("Paused")) for a in manager.actions] == [("QueueAdd", "true"), ("QueuePause", "true")]
    manager.actions.clear()
    membership.on_event(events.Event("agent.state", payload={"user_id": user_id, "state": "on_call"}))
    assert manager.actions == []  # Asterisk knows the member is busy
    membership.detach()
    membership.on_event(events.Event("agent.state", payload={"user_id": user_id, "state": "available"}))
    assert manager.actions == []  # no session: the next login sets the whole queue
