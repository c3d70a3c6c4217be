"""Case search, the case form an agent completes (screen pop), and routing."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from agent_console import agents, casefile, labels, messages, search, search_index
from agent_console.access import requires
from agent_console.cases import bp
from agent_console.cases.forms import CaseForm, SearchForm
from agent_console.database import get_or_404, session
from hotline import cases as lifecycle, pii
from hotline.errors import ValidationError
from hotline.models import Case, CaseStatus, Complainant, Entity, User


def entity_choices(db) -> list[tuple[str, str]]:
    rows = db.scalars(select(Entity).where(Entity.active.is_(True))
                      .order_by(Entity.kind, Entity.menu_order, Entity.code))
    return [("", "—")] + [(str(e.id), labels.entity(e)) for e in rows]


@bp.get("/cases", endpoint="search")
@requires("cases.view")
def search_page():
    db = session()
    form = SearchForm(request.args)
    form.status.choices = labels.choices(labels.STATUS)
    form.entity_id.choices = entity_choices(db)
    rows, more, number = [], False, request.args.get("page", 1, type=int) or 1
    if form.validate():
        filters = search.Filters(
            q=form.q.data or "", number=form.number.data or "", national_id=form.national_id.data or "",
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
    form = CaseForm(obj=None if request.method == "POST" else _initial(case))
    form.entity_id.choices = entity_choices(db)
    form.disposition.choices = labels.choices(labels.DISPOSITION)
    handling = agents.is_handling(db, current_user.id, case.id)
    if request.method == "POST":
        if not current_user.can("cases.edit"):
            abort(403)
        if form.validate_on_submit():
            try:
                _save(db, case, form, complete=bool(request.form.get("complete")), handling=handling)
                db.commit()
                flash(_("Case saved."), "ok")
                return redirect(url_for("cases.edit", case_id=case.id))
            except ValidationError as exc:
                db.rollback()
                form.disposition.errors = list(form.disposition.errors) + [messages.translate(str(exc))]
    suggested = lifecycle.suggest_entity(db, case.category, case.governorate)
    shown = casefile.identity(db, case, current_user)
    transcript = casefile.transcript(db, case, current_user)
    by_transcript = None
    if transcript and transcript["suggested_category"]:
        by_transcript = lifecycle.suggest_entity(db, transcript["suggested_category"], case.governorate)
    if not form.entity_id.data:
        form.entity_id.data = str((case.entity_id or suggested.id) if suggested else case.entity_id or "")
    db.commit()  # the audit entry of the identity view
    return render_template(
        "cases/edit.html", case=case, form=form, identity=shown, handling=handling,
        steps=casefile.ivr_path(db, case), recordings=casefile.recordings(db, case),
        transcript=transcript, suggested=suggested, by_transcript=by_transcript,
        history=case.history, entities={e.id: e for e in db.scalars(select(Entity))})


@bp.get("/cases/<int:case_id>/transcript")
@requires("cases.view")
def transcript(case_id: int):
    """The transcript as JSON, fetched when the ``transcript.ready`` event arrives."""
    db = session()
    return jsonify(casefile.transcript(db, load(db, case_id), current_user) or {})


def _initial(case: Case) -> dict:
    person = case.complainant
    data = {"governorate": case.governorate, "district": case.district, "address": case.address,
            "category": case.category, "description": case.description}
    if person is not None:
        data.update(name=person.name, phone=person.phone, national_id=person.national_id,
                    consent=person.consent)
    return type("Initial", (), data)


def _save(db, case: Case, form: CaseForm, *, complete: bool, handling: bool) -> None:
    """Write the form to the case; route it; with "complete", close the agent's call."""
    if complete and not form.disposition.data:
        raise ValidationError("disposition required")
    user = db.get(User, current_user.id)
    person = case.complainant or Complainant()
    person.name = form.name.data
    person.phone = pii.normalise("phone", form.phone.data) if form.phone.data else None
    person.national_id = form.national_id.data or None
    if person.consent != form.consent.data or person.consent_at is None:
        person.give_consent(form.consent.data, "console")
    case.complainant = person
    for field in ("governorate", "district", "address", "category", "description"):
        setattr(case, field, getattr(form, field).data or None)
    case.incomplete = False
    db.flush()
    search_index.index_case(db, case)
    target = db.get(Entity, int(form.entity_id.data)) if (form.entity_id.data or "").isdigit() else None
    if target is not None and target.id != case.entity_id and current_user.can("cases.route"):
        if case.status == CaseStatus.received:
            lifecycle.change_status(db, case, CaseStatus.under_review, actor=user.username, user=user)
        lifecycle.route(db, case, target, actor=user.username, user=user, note=form.note.data or None)
    if complete and handling:
        agents.complete(db, user.id, case.id, form.disposition.data)
