"""The inbox of an entity: routed cases, identity shown only with consent, and answers."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from agent_console import casefile, search
from agent_console.access import requires
from agent_console.database import session
from agent_console.entities import bp
from agent_console.entities.forms import AnswerForm
from hotline import cases as lifecycle
from hotline.models import Case, CaseStatus, Entity, Response, User


def _mine(db) -> tuple[int, ...]:
    if current_user.entity_id is None:
        return ()
    children = db.scalars(select(Entity.id).where(Entity.parent_id == current_user.entity_id))
    return (current_user.entity_id, *children)


@bp.get("/inbox")
@requires("cases.view_entity")
def inbox():
    db = session()
    number = request.args.get("page", 1, type=int) or 1
    rows, more = search.page(db, search.Filters(entity_ids=_mine(db)), number)
    return render_template("entities/inbox.html", rows=rows, more=more, page=number)


@bp.route("/inbox/<int:case_id>", methods=["GET", "POST"])
@requires("cases.view_entity")
def case(case_id: int):
    db = session()
    found = db.get(Case, case_id)
    if found is None or found.entity_id not in _mine(db):
        abort(404)
    form = AnswerForm()
    if form.validate_on_submit() and current_user.can("cases.answer"):
        user = db.get(User, current_user.id)
        db.add(Response(case_id=found.id, entity_id=found.entity_id, user_id=user.id, body=form.body.data))
        if found.status != CaseStatus.answered:
            lifecycle.change_status(db, found, CaseStatus.answered, actor=user.username, user=user)
        db.commit()
        flash(_("Answer sent."), "ok")
        return redirect(url_for("entities.case", case_id=found.id))
    shown = casefile.identity(db, found, current_user)
    db.commit()
    return render_template("entities/case.html", case=found, identity=shown, form=form,
                           transcript=casefile.transcript(db, found, current_user))
