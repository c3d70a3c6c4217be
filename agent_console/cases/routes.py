"""Case search, the case form an agent completes (screen pop), and routing."""
from __future__ import annotations

from dataclasses import replace

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from agent_console import (agents, casefile, casepage, gate, labels, limits, messages, search,
                           search_index, workqueue)
from agent_console.access import requires
from agent_console.cases import bp
from agent_console.cases.forms import CaseForm, SearchForm
from agent_console.database import get_or_404, session
from hotline import cases as lifecycle, consent, pii
from hotline.errors import ValidationError
from hotline.models import Case, CaseStatus, Complainant, Entity, User


def entity_choices(db, empty: str = "—") -> list:
    rows = db.scalars(select(Entity).where(Entity.active.is_(True))
                      .order_by(Entity.kind, Entity.menu_order, Entity.code))
    return labels.options([("", empty)] + [(str(e.id), labels.entity(e)) for e in rows])


@bp.get("/cases", endpoint="search")
@requires("cases.view")
def search_page():
    db = session()
    # A national ID or phone in the query never gets here (agent_console.limits): that look-up
    # is a POST to /cases/find.
    form = SearchForm(request.args)
    form.entity_id.choices = entity_choices(db)
    rows, more, number = [], False, limits.page_number(request.args)
    if form.validate():
        filters = search.Filters(
            q=form.q.data or "", number=form.number.data or "",
            status=form.status.data or "", category=form.category.data or "",
            governorate=form.governorate.data or "",
            entity_id=int(form.entity_id.data) if (form.entity_id.data or "").isdigit() else None,
            date_from=form.date_from.data, date_to=form.date_to.data,
            sla_breached=form.sla_breached.data)
        rows, more = search.page(db, filters, number)
        db.commit()  # the search index may have caught up
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("cases/search.html", form=form, rows=rows, more=more, page=number,
                           args=args)


def load(db, case_id: int) -> Case:
    return get_or_404(Case, case_id)


@bp.route("/cases/<int:case_id>", methods=["GET", "POST"])
@requires("cases.view")
def edit(case_id: int):
    db = session()
    case = load(db, case_id)
    seen = gate.view(db, case, current_user, audited=False)  # audited below, once shown
    form = CaseForm(obj=None if request.method == "POST" else _initial(db, case, seen))
    form.entity_id.choices = entity_choices(db, _("— choose the entity —"))
    handling = agents.is_handling(db, current_user.id, case.id)
    _guard(form, seen, handling)
    if request.method == "POST":
        if not current_user.can("cases.edit"):
            abort(403)
        if _no_complaint(form):  # an enquiry, a wrong number: close the call, no form to fill
            try:
                agents.complete(db, current_user.id, case.id, form.disposition.data)
                db.commit()
                flash(_("Call closed."), "ok")
                return redirect(url_for("calls.live"))
            except ValidationError as exc:
                db.rollback()
                form.disposition.errors = [messages.translate(str(exc))]
        elif form.validate_on_submit():
            try:
                routed = _save(db, case, form, complete=bool(request.form.get("complete")),
                               route=bool(request.form.get("route")), seen=seen, handling=handling)
                db.commit()
                flash(_("Case saved and routed.") if routed else _("Case saved."), "ok")
                return redirect(url_for("cases.edit", case_id=case.id))
            except ValidationError as exc:
                db.rollback()
                form.disposition.errors = list(form.disposition.errors) + [messages.translate(str(exc))]
    found = lifecycle.routing(db, form.category.data or case.category, form.governorate.data or case.governorate)
    shown = seen.identity
    transcript = seen.transcript(db)
    by_transcript = None
    if transcript and transcript["suggested_category"]:
        by_transcript = lifecycle.suggest_entity(db, transcript["suggested_category"], case.governorate)
    if not form.entity_id.data:
        form.entity_id.data = str(found.entity.id) if found.entity else ""
    extra = casepage.context(db, case, current_user)
    extra["answers"] = [replace(a, text=seen.text(a.text)) for a in extra["answers"]]
    if seen.masked:
        extra["earlier"] = []  # the caller's other complaints would say who they are
    else:
        gate.record_view(db, current_user, case, basis=shown["basis"])
    db.commit()  # the audit entry of the identity view
    return render_template(
        "cases/edit.html", case=case, form=form, identity=shown, handling=handling,
        recordings=casefile.recordings(db, case), transcript=transcript, suggested=found,
        by_transcript=by_transcript, history=seen.history(), seen=seen,
        consent_history=case.complainant.history if case.complainant else [],
        entities={e.id: e for e in db.scalars(select(Entity))}, **extra)


def _no_complaint(form: CaseForm) -> bool:
    """True for "close the call" with a disposition that brings no complaint, nothing written."""
    from flask_wtf.csrf import validate_csrf
    from wtforms.validators import ValidationError as FormExpired

    if not (request.form.get("complete") and form.disposition.data in agents.NO_COMPLAINT):
        return False
    if form.description.data or form.category.data:
        return False
    try:
        validate_csrf(request.form.get("csrf_token"))
    except FormExpired:
        return False
    return True


@bp.get("/cases/routing")
@requires("cases.route")
def routing():
    """Where the routing rules send a category × governorate: the form's live suggestion."""
    found = lifecycle.routing(session(), request.args.get("category") or None,
                              request.args.get("governorate") or None)
    entity = found.entity
    return jsonify({"entity_id": entity.id if entity else None, "name": labels.entity(entity),
                    "certain": found.certain})


@bp.get("/cases/<int:case_id>/transcript")
@requires("cases.view")
def transcript(case_id: int):
    """The transcript as JSON, fetched when the ``transcript.ready`` event arrives."""
    db = session()
    return jsonify(casefile.transcript(db, load(db, case_id), current_user) or {})


def _initial(db, case: Case, seen: gate.CaseView):
    """The form's first values, as the identity gate lets this viewer see them."""
    person = case.complainant
    data = {"governorate": case.governorate, "district": seen.district, "address": seen.address,
            "category": case.category, "description": seen.description,
            "phone": seen.identity["caller"] or None}
    if person is not None:
        data.update(name=seen.identity["name"], national_id=seen.identity["national_id"],
                    consent=person.consent, phone=seen.identity["phone"] or data["phone"])
    call = agents.call_on(db, current_user.id, case.id)
    data["disposition"] = call.disposition if call is not None else None
    return type("Initial", (), data)


def _guard(form: CaseForm, seen: gate.CaseView, handling: bool) -> None:
    """What the viewer was shown masked cannot be edited (it would overwrite the real values);
    consent is recorded here only on the citizen's call (hotline.consent)."""
    if seen.masked:
        for name in MASKED_FIELDS:
            form[name].render_kw = {"readonly": True}
            form[name].validators = []
    if not handling:
        form.consent.render_kw = {"disabled": True}


MASKED_FIELDS = ("name", "phone", "national_id", "district", "address", "description")


def _save(db, case: Case, form: CaseForm, *, complete: bool, route: bool, seen: gate.CaseView,
          handling: bool) -> bool:
    """Write the form to the case; route it only when the agent chose to (the Route button);
    with "complete", close the agent's call. True when it was routed."""
    if complete and not form.disposition.data:
        raise ValidationError("disposition required")
    user = db.get(User, current_user.id)
    person = case.complainant or Complainant()
    if not seen.masked:
        person.name = form.name.data
        person.phone = pii.normalise("phone", form.phone.data) if form.phone.data else None
        person.national_id = form.national_id.data or None
    if handling:
        consent.said_on_call(db, case, person, form.consent.data, user=user)
    if person.id is not None or not seen.masked:
        case.complainant = person
    category = case.category
    for field in ("governorate", "category") if seen.masked else (
            "governorate", "district", "address", "category", "description"):
        setattr(case, field, getattr(form, field).data or None)
    if case.category != category or case.due_at is None:
        lifecycle.refresh_due(case)
    case.incomplete = False
    db.flush()
    search_index.index_case(db, case)
    routed = False
    target = db.get(Entity, int(form.entity_id.data)) if (form.entity_id.data or "").isdigit() else None
    if route and current_user.can("cases.route"):
        if target is None:
            raise ValidationError("choose the entity")
        if target.id != case.entity_id or case.status != CaseStatus.routed:
            if case.status == CaseStatus.received:
                lifecycle.change_status(db, case, CaseStatus.under_review, actor=user.username, user=user)
            lifecycle.route(db, case, target, actor=user.username, user=user, note=form.note.data or None)
            routed = True
    agents.note_disposition(db, user.id, case.id, form.disposition.data)
    if complete:
        agents.complete(db, user.id, case.id, form.disposition.data)
    workqueue.settle(db, case)
    return routed
