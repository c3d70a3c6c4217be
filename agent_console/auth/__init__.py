"""Sign-in, sign-out, the account page and API tokens."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from agent_console.auth import routes  # noqa: E402,F401  (registers the views)
