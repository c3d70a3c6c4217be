"""Case list and search, the case form (screen pop), routing."""
from flask import Blueprint

bp = Blueprint("cases", __name__)

from agent_console.cases import identity, routes  # noqa: E402,F401
