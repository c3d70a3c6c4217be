"""The SMS gateway's webhook: citizens' replies to the satisfaction survey (issue 18)."""
from flask import Blueprint

bp = Blueprint("sms", __name__)

from agent_console.sms import routes  # noqa: E402,F401
