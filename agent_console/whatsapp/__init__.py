"""WhatsApp intake: the Cloud API webhook (signature-authenticated) and the case's conversation page."""
from flask import Blueprint

bp = Blueprint("whatsapp", __name__)

from agent_console.whatsapp import routes  # noqa: E402,F401
