"""Places and clusters in the console: the case's place and duplicates panel, merging, the
hot-spot map, the time charts, and the import of local units (issue 16)."""
from flask import Blueprint

bp = Blueprint("places", __name__)

from agent_console.places import panel, routes, units  # noqa: E402,F401
