"""Inbox pages: the list (with SLA due dates and breaches), one case, and the four actions.

What an officer sees is decided by ``hotline.scope`` alone; a case outside it is a 404, so an
officer cannot even learn that another entity's case number exists.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from agent_console import gate, limits, messages, search
from agent_console.access import requires
from agent_console.database import session
from agent_console.inbox import bp
from agent_console.inbox.actions import ACTIONS
from agent_console.inbox.forms import ActionForm, TextForm
from hotline import clusters, escalation, scope
from hotline.errors import ValidationError
from hotline.models import Case, CaseStatus, Entity, User, utcnow
from hotline.notifications import dispatch

WORKING = ("routed", "under_review")


def visible_case(db, case_id: int) -> Case:
    """The case if the signed-in user may see it; 404 otherwise (also for someone else's)."""
    found = db.get(Case, case_id)
    if found is None or not scope.can_see(db, current_user, found):
        abort(404)
    return found


def _entities(db, case: Case) -> dict:
    """The entities the case's history names, by id (the history shows where it was routed)."""
    ids = {h.to_entity_id for h in case.history if h.to_entity_id}
    return {e.id: e for e in db.scalars(select(Entity).where(Entity.id.in_(ids)))} if ids else {}


@bp.get("/inbox")
@requires("cases.view_entity")
def inbox():
    db = session()
    status = request.args.get("status", "open")
    filters = search.Filters(q=request.args.get("q", "").strip()[:200],
                             number=request.args.get("number", "").strip()[:20],
                             status=status if status in CaseStatus.__members__ else "",
                             sla_breached=request.args.get("late") == "1")
    stmt = scope.restrict(search.query(db, filters), db, current_user)
    stmt = clusters.one_per_cluster(stmt)  # a work item shows once, with its N reports
    stmt = escalation.overdue_first(stmt)  # the entity's overdue list first (issue 18)
    if status == "open":
        stmt = stmt.where(Case.status.in_(WORKING))
    if filters.q:
        from agent_console import search_index

        search_index.catch_up(db)
    page = limits.page_number(request.args)
    rows = list(db.scalars(stmt.offset((page - 1) * 25).limit(26)))
    return render_template("inbox/list.html", rows=rows[:25], more=len(rows) > 25, page=page,
                           status=status, q=filters.q, now=utcnow(), statuses=list(CaseStatus),
                           marks=escalation.marks(db, [c.id for c in rows[:25]]))


@bp.get("/cases/<int:case_id>")
@requires("cases.view_entity")
def case(case_id: int):
    db = session()
    found = visible_case(db, case_id)
    seen = gate.view(db, found, current_user)  # audited when unmasked
    db.commit()
    return render_template(
        "inbox/case.html", case=found, seen=seen, identity=seen.identity, now=utcnow(),
        actions=ACTIONS, transcript=seen.transcript(db), entities=_entities(db, found),
        notifications=dispatch.for_case(db, found.id), text_form=TextForm(), ack_form=ActionForm())


@bp.post("/cases/<int:case_id>/<action>")
@requires("cases.answer")
def act(case_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    db = session()
    found = visible_case(db, case_id)
    perform, needs_text, _statuses = ACTIONS[action]
    form = TextForm() if needs_text else ActionForm()
    if not form.validate_on_submit():
        problems = [e for errors in form.errors.values() for e in errors]
        flash("؛ ".join(map(str, problems)) or _("The form expired; reload the page."), "error")
        return redirect(url_for("inbox.case", case_id=case_id), code=303)
    try:
        perform(db, found, db.get(User, current_user.id), form.text.data if needs_text else "")
    except ValidationError as exc:
        db.rollback()
        flash(messages.translate(str(exc)), "error")
        return redirect(url_for("inbox.case", case_id=case_id), code=303)
    db.commit()
    flash(_("Done."), "ok")
    return redirect(url_for("inbox.case", case_id=case_id), code=303)
