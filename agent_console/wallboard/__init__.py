"""The supervisor wallboard."""
from flask import Blueprint

bp = Blueprint("wallboard", __name__)

from agent_console.wallboard import routes  # noqa: E402,F401
