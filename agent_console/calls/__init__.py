"""Live calls, the queue, taking a call (screen pop) and the agent's state."""
from flask import Blueprint

bp = Blueprint("calls", __name__)

from agent_console.calls import routes  # noqa: E402,F401
