"""With Redis, a console process still reacts to events published elsewhere (wrap-up on hang-up)."""
import subprocess
import sys
import time

from sqlalchemy import select

from hotline import db, settings
from hotline.models import User
from tests.conftest import ROOT, settings_environ
from tests.console.conftest import make_call

ENDED = """
import sys
from hotline import events
events.publish(events.Event("call.ended", call_id=int(sys.argv[1]), payload={"outcome": "hangup"}))
"""


def test_call_ended_elsewhere_puts_the_agent_in_wrap_up(redis_url, app):
    from agent_console import agents

    assert not settings.get().embedded
    call_id = make_call("1700000000.77")
    with db.session_scope() as session:
        agent = session.scalar(select(User).where(User.username == "agent"))
        agents.take(session, agent, session.get(__import__("hotline.models", fromlist=["Call"]).Call, call_id))
        assert agents.state_of(session, agent.id).state == "on_call"
        agent_id = agent.id
    time.sleep(0.5)  # the console's follower is reading the stream from now on
    subprocess.run([sys.executable, "-c", ENDED, str(call_id)], env=settings_environ(settings.get()),
                   cwd=ROOT, check=True, timeout=60)
    deadline = time.monotonic() + 15
    state = None
    while time.monotonic() < deadline:
        with db.session_scope() as session:
            state = agents.state_of(session, agent_id).state
        if state == "wrap_up":
            break
        time.sleep(0.2)
    assert state == "wrap_up"
