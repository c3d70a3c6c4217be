"""Background jobs that failed for good (e.g. a transcription), and queuing them again."""
from flask import Blueprint

bp = Blueprint("jobs", __name__)

from agent_console.jobs import routes  # noqa: E402,F401
