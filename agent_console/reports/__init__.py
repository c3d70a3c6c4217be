"""Reports: cases by entity, category, governorate and status over a period; SLA; CSV export."""
from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from agent_console.reports import routes  # noqa: E402,F401
