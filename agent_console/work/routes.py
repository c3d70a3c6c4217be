"""The work queue page, "take the next complaint", and taking or releasing one complaint."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from agent_console import workqueue
from agent_console.access import requires
from agent_console.database import get_or_404, session
from agent_console.work import bp
from hotline.models import Case, CaseStatus, User, utcnow


@bp.get("/work")
@requires("cases.edit")
def queue():
    db = session()
    rows, mine = workqueue.waiting(db), workqueue.mine(db, current_user.id)
    template = "work/rows.html" if request.args.get("part") == "rows" else "work/queue.html"
    return render_template(template, rows=rows, mine=mine, total=workqueue.count(db), now=utcnow(),
                           form=FlaskForm())


@bp.get("/work.json")
@requires("cases.edit")
def figures():
    """How many complaints wait (the live page's counter follows case events with this)."""
    return jsonify({"waiting": workqueue.count(session())})


@bp.post("/work/next")
@requires("cases.edit")
def take_next():
    """Claim the most urgent waiting complaint and open it."""
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("work.queue"))
    db = session()
    case = workqueue.take_next(db, db.get(User, current_user.id))
    db.commit()
    if case is None:
        flash(_("No complaint is waiting."), "ok")
        return redirect(url_for("work.queue"))
    return redirect(url_for("cases.edit", case_id=case.id))


@bp.post("/work/<int:case_id>/take")
@requires("cases.edit")
def take(case_id: int):
    """Claim this complaint (unless another agent holds it) and open it."""
    db = session()
    case = get_or_404(Case, case_id)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("work.queue"))
    if case.status != CaseStatus.received or not workqueue.claim(db, db.get(User, current_user.id), case):
        db.rollback()
        flash(_("Another agent is working on this complaint."), "error")
        return redirect(url_for("work.queue"))
    db.commit()
    return redirect(url_for("cases.edit", case_id=case.id))


@bp.post("/work/<int:case_id>/release")
@requires("cases.edit")
def release(case_id: int):
    """Put a complaint back in the queue for another agent."""
    if FlaskForm().validate_on_submit():
        db = session()
        workqueue.release(db, case_id, current_user.id)
        db.commit()
        flash(_("The complaint is back in the work queue."), "ok")
    return redirect(url_for("work.queue"))
