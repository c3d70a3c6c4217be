"""The entity inbox: cases routed to an officer's entity and its units, and the entity's actions."""
from flask import Blueprint

bp = Blueprint("inbox", __name__, url_prefix="/entity")

from agent_console.inbox import routes  # noqa: E402,F401
