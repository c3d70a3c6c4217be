"""Quality review: the review queue, recording playback (audited) and QA scorecards."""
from flask import Blueprint

bp = Blueprint("review", __name__)

from agent_console.review import routes  # noqa: E402,F401
