"""Merging duplicates into a work item, the pin an agent sets, photo thumbnails, the hot-spot
map (Leaflet, drawn from egygeo's borders served here) and the time charts."""
from __future__ import annotations

import io
from functools import cache

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from agent_console import formatting, labels, photo_views
from agent_console.access import requires
from agent_console.database import get_or_404, session
from agent_console.places import bp, timechart
from agent_console.places.forms import ActionForm, PinForm
from agent_console.reports import figures
from hotline import cases as lifecycle, clusters, geo, hotspots, places, reference
from hotline.errors import ValidationError
from hotline.models import Attachment, Case, CaseStatus, DuplicateSuggestion, Entity, User

THUMB_SIDE = 160


def _back(case_id: int):
    return redirect(url_for("cases.edit", case_id=case_id) + "#places", code=303)


def _done(db, case_id: int, message: str):
    db.commit()
    flash(message, "ok")
    return _back(case_id)


@bp.post("/cases/<int:case_id>/merge")
@requires("cases.edit")
def merge(case_id: int):
    db = session()
    case = get_or_404(Case, case_id)
    form = ActionForm()
    chosen = [int(i) for i in request.form.getlist("candidate") if i.isdigit()]
    if not form.validate_on_submit() or not chosen:
        flash(_("Choose at least one complaint to merge."), "error")
        return _back(case_id)
    others = [db.get(Case, i) for i in chosen]
    if any(o is None for o in others):
        abort(404)
    try:
        cluster = clusters.merge(db, [case, *others], user=db.get(User, current_user.id))
    except ValidationError as exc:
        db.rollback()
        flash(str(exc), "error")
        return _back(case_id)
    lead = db.get(Case, cluster.lead_case_id)
    return _done(db, case_id, _("Merged into work item %(number)s (%(reports)s reports).",
                                number=formatting.digits(lead.number), reports=formatting.number(cluster.reports)))


@bp.post("/cases/<int:case_id>/dismiss/<int:candidate_id>")
@requires("cases.edit")
def dismiss(case_id: int, candidate_id: int):
    db = session()
    row = db.scalar(select(DuplicateSuggestion).where(DuplicateSuggestion.case_id == case_id,
                                                      DuplicateSuggestion.candidate_id == candidate_id))
    if row is None or not ActionForm().validate_on_submit():
        abort(404 if row is None else 400)
    row.dismissed_by = current_user.username
    return _done(db, case_id, _("Noted: not a duplicate."))


@bp.post("/cases/<int:case_id>/detach")
@requires("cases.edit")
def detach(case_id: int):
    db = session()
    case = get_or_404(Case, case_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        clusters.detach(db, case, user=db.get(User, current_user.id))
    except ValidationError as exc:
        flash(str(exc), "error")
        return _back(case_id)
    return _done(db, case_id, _("Taken out of the work item."))


@bp.post("/cases/<int:case_id>/pin")
@requires("cases.edit")
def pin(case_id: int):
    """The agent places the case (the citizen described where, or read out coordinates)."""
    db = session()
    case = get_or_404(Case, case_id)
    form = PinForm()
    if not form.validate_on_submit():
        flash(_("Latitude and longitude must be numbers in range."), "error")
        return _back(case_id)
    if geo.governorate_at(form.latitude.data, form.longitude.data) is None:
        flash(_("That point is not in Egypt."), "error")
        return _back(case_id)
    case.latitude, case.longitude = form.latitude.data, form.longitude.data
    return _done(db, case_id, _("Location saved."))


@bp.post("/cases/<int:case_id>/route-by-place")
@requires("cases.route")
def route_by_place(case_id: int):
    """Route the case to the entity its place names (its local unit, when that unit collects the
    category); a work item's members follow it."""
    db = session()
    case = get_or_404(Case, case_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    target = places.suggest_entity(db, case)
    user = db.get(User, current_user.id)
    try:
        if case.status == CaseStatus.received:
            lifecycle.change_status(db, case, CaseStatus.under_review, actor=user.username, user=user)
        lifecycle.route(db, case, target, actor=user.username, user=user,
                        note=_("routed by place"))
    except ValidationError as exc:
        db.rollback()
        flash(str(exc), "error")
        return _back(case_id)
    return _done(db, case_id, _("Routed to %(entity)s.", entity=labels.entity(target)))


@bp.get("/cases/<int:case_id>/photos/<int:attachment_id>/thumb")
@requires("cases.view")
def thumb(case_id: int, attachment_id: int):
    """A small copy of a case photo, decrypted in memory, for judging duplicates; audited."""
    from PIL import Image

    db = session()
    row = db.get(Attachment, attachment_id)
    if row is None or row.case_id != case_id:
        abort(404)
    data, _media_type = photo_views.opened(db, attachment_id, size="thumbnail")
    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail((THUMB_SIDE, THUMB_SIDE))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80)
    db.commit()
    return photo_views.private(out.getvalue(), "image/jpeg")


def _filters():
    span = figures.period(request.args.get("from"), request.args.get("to"))
    category = request.args.get("category", "")
    return span, category if reference.category(category) else ""


@bp.get("/map")
@requires("reports.view")
def hotspot_map():
    span, category = _filters()
    return render_template("places/map.html", span=span, category=category,
                           categories=reference.categories(), governorates=reference.governorates())


@cache
def _geojson_bytes() -> bytes:
    import json

    return json.dumps(geo.geojson(), ensure_ascii=False, separators=(",", ":")).encode()


@bp.get("/map/governorates.geojson")
@requires("reports.view")
def governorates_geojson():
    return Response(_geojson_bytes(), mimetype="application/geo+json",
                    headers={"Cache-Control": "private, max-age=86400"})


@bp.get("/map/data.json")
@requires("reports.view")
def map_data():
    db = session()
    span, category = _filters()
    counts = hotspots.open_by_governorate(db, current_user, span.start, span.end, category or None)
    points = hotspots.cluster_points(db, current_user, span.start, span.end, category or None)
    for point in points:
        point["label"] = labels.category(point["category"])
        point["url"] = url_for("cases.edit", case_id=point["case_id"])
    return jsonify(period={"from": span.start.isoformat(), "to": span.end.isoformat()},
                   category=category, open=counts, clusters=points,
                   names={g.slug: labels.governorate(g.slug) for g in reference.governorates()})


@bp.get("/charts")
@requires("reports.view")
def charts():
    db = session()
    span = figures.period(request.args.get("from"), request.args.get("to"), days=84)
    category = request.args.get("category", "") if reference.category(request.args.get("category", "")) else ""
    governorate = request.args.get("governorate", "") if reference.governorate(request.args.get("governorate", "")) else ""
    weeks = hotspots.weeks(span.start, span.end)
    by_governorate = hotspots.weekly(db, current_user, span.start, span.end, "governorate", category=category or None)
    by_category = hotspots.weekly(db, current_user, span.start, span.end, "category", governorate=governorate or None)
    entities = {e.id: e for e in db.scalars(select(Entity))}
    sla = hotspots.sla_by_entity(db, current_user, span.start, span.end)
    return render_template(
        "places/charts.html", span=span, weeks=weeks, sla=sla, entities=entities, category=category,
        governorate=governorate, categories=reference.categories(), governorates=reference.governorates(),
        governorate_chart=timechart.lines(weeks, by_governorate, labels.governorate,
                                          _("Complaints per week by governorate"),
                                          _("No data")),
        category_chart=timechart.lines(weeks, by_category, labels.category,
                                       _("Complaints per week by category"),
                                       _("No data")),
        by_governorate=timechart.top(by_governorate), by_category=timechart.top(by_category),
        sla_chart=timechart.compliance([(labels.entity(entities.get(r["entity_id"])), r["compliance"])
                                        for r in sla if r["compliance"] is not None],
                                       _("SLA compliance per entity"),
                                       _("No data")))
