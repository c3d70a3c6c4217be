"""The public statistics page and the open-data export: counts only, small cells suppressed."""
from flask import Blueprint

bp = Blueprint("opendata", __name__, url_prefix="/open-data")

from agent_console.opendata import routes  # noqa: E402,F401
