"""An entity officer's inbox of the cases routed to their entity."""
from flask import Blueprint

bp = Blueprint("entities", __name__)

from agent_console.entities import routes  # noqa: E402,F401
