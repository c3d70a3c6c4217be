"""The audit trail page for supervisors and admins: filter, read, verify the hash chain."""
from flask import Blueprint

bp = Blueprint("audit_view", __name__, url_prefix="/audit")

from agent_console.audit_view import routes  # noqa: E402,F401
