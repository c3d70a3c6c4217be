"""The live board of calls, taking a call, and the agent's state."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from agent_console import agents, labels, messages, workqueue
from agent_console.access import requires
from agent_console.calls import bp
from agent_console.calls.forms import StateForm, TakeForm
from agent_console.database import session
from hotline import reference
from hotline.errors import ValidationError
from hotline.models import Call, User


@bp.get("/calls")
@requires("calls.view_live")
def live():
    state = agents.state_of(session(), current_user.id) if current_user.can("calls.take") else None
    count = workqueue.count(session()) if current_user.can("cases.edit") else 0
    session().commit()
    return render_template("calls/live.html", take_form=TakeForm(), state_form=StateForm(),
                           agent_state=state, work_count=count,
                           category_labels={c.code: labels.category(c.code) for c in reference.categories()})


@bp.post("/calls/take")
@requires("calls.take")
def take():
    """Take a call: from the "take call" button or the screen pop of an AgentConnect."""
    form = TakeForm()
    if not form.validate_on_submit():
        return _answer(_("The form expired; reload the page."), 400)
    db = session()
    call = None
    if (form.call_id.data or "").isdigit():
        call = db.get(Call, int(form.call_id.data))
    elif form.uniqueid.data:
        call = db.scalar(select(Call).where(Call.uniqueid == form.uniqueid.data))
    if call is None:
        return _answer(_("No such call."), 404)
    try:
        case = agents.take(db, db.get(User, current_user.id), call)
    except ValidationError as exc:
        db.rollback()
        return _answer(messages.translate(str(exc)), 409)
    db.commit()
    target = url_for("cases.edit", case_id=case.id)
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"url": target, "case_id": case.id})
    return redirect(target)


@bp.post("/agent/state")
@requires("calls.take")
def set_state():
    form = StateForm()
    if form.validate_on_submit():
        db = session()
        try:
            agents.set_state(db, current_user.id, form.state.data, form.reason.data or None)
            db.commit()
        except ValidationError as exc:
            db.rollback()
            flash(messages.translate(str(exc)), "error")
    return redirect(url_for("calls.live"))


def _answer(message: str, status: int):
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"error": message}), status
    flash(message, "error")
    return redirect(url_for("calls.live"))
