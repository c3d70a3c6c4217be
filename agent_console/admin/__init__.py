"""Administration: users, entities and routing rules (never case contents)."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from agent_console.admin import routes  # noqa: E402,F401
