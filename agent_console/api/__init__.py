"""The JSON API for integrations, authenticated by per-user tokens (docs/api.md)."""
from flask import Blueprint

bp = Blueprint("api", __name__)

from agent_console.api import routes  # noqa: E402,F401
