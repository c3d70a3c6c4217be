"""List audit entries by user, case and action; verify the chain as ``run_ivr.py audit verify`` does."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from agent_console import limits
from agent_console.access import requires
from agent_console.audit_view import bp
from agent_console.database import session
from hotline import audit
from hotline.models import AuditEntry, Case, User

PER_PAGE = 50


def _entries(db, args) -> tuple[list[AuditEntry], bool, int]:
    stmt = select(AuditEntry)
    if args.get("user"):
        stmt = stmt.where(AuditEntry.actor == args["user"].strip())
    if args.get("action"):
        stmt = stmt.where(AuditEntry.action == args["action"].strip())
    case = args.get("case", "").strip()
    if case:
        case_id = db.scalar(select(Case.id).where(Case.number == case))
        stmt = stmt.where(AuditEntry.case_id == (case_id if case_id else int(case) if case.isdigit() else -1))
    page = limits.page_number(args)
    rows = list(db.scalars(stmt.order_by(AuditEntry.id.desc())
                           .offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)))
    return rows[:PER_PAGE], len(rows) > PER_PAGE, page


@bp.route("", methods=["GET", "POST"])
@requires("audit.view")
def trail():
    db = session()
    form, result = FlaskForm(), None
    if request.method == "POST" and form.validate_on_submit():
        result = audit.verify(db)
        audit.record(db, "audit.verified", user=db.get(User, current_user.id),
                     detail={"ok": result.ok, "checked": result.checked, "broken_id": result.broken_id})
        db.commit()
    rows, more, page = _entries(db, request.args)
    actions = list(db.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
    ids = {e.case_id for e in rows if e.case_id}
    numbers = dict(db.execute(select(Case.id, Case.number).where(Case.id.in_(ids))).all()) if ids else {}
    return render_template("audit_view/trail.html", rows=rows, more=more, page=page, form=form,
                           result=result, actions=actions, args=request.args, numbers=numbers)
