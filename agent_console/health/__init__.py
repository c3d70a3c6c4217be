"""Health: the public ``/healthz``, Prometheus ``/metrics`` and the degraded banner on every page."""
from flask import Blueprint

bp = Blueprint("health", __name__)

from agent_console.health import routes  # noqa: E402,F401 - registers the views
