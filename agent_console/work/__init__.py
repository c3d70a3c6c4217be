"""The back-office work queue: complaints no agent handled, taken one at a time."""
from flask import Blueprint

bp = Blueprint("work", __name__)

from agent_console.work import routes  # noqa: E402,F401
