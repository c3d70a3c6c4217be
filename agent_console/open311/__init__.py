"""Open311 GeoReport v2 for entities' own systems: services, requests (GET/POST), one request."""
from flask import Blueprint

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

from agent_console.open311 import routes  # noqa: E402,F401
