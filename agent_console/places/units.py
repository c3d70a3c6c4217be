"""Admins import the entity tree below the governorates (local units) from CSV."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from agent_console.access import requires
from agent_console.database import session
from agent_console.places import bp
from agent_console.places.forms import UnitsForm
from agent_console.places.panel import in_language
from hotline import audit, unit_import
from hotline.models import Entity, EntityKind, EntityUnit, User

MAX_BYTES = 2 * 1024 * 1024


@bp.route("/admin/units", methods=["GET", "POST"])
@requires("entities.manage")
def units():
    db = session()
    form = UnitsForm()
    errors: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_BYTES + 1) if upload else b""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, errors = "", [in_language("الملف ليس نصا بترميز UTF-8: احفظه بترميز UTF-8", "The file is not UTF-8 text: save the CSV as UTF-8.")]
        if not data:
            errors = [in_language("اختر ملف CSV", "Choose a CSV file.")]
        elif len(data) > MAX_BYTES:
            errors = [in_language("الملف أكبر من 2 ميجابايت: قسمه", "The file is larger than 2 MB: split it.")]
        if not errors:
            result = unit_import.load(db, text)
            errors = result.errors
            if not errors:
                audit.record(db, "entities.units_imported", user=db.get(User, current_user.id),
                             object_type="entity", detail={"created": result.created, "updated": result.updated})
                db.commit()
                flash(in_language(f"استوردت {result.created} وحدة جديدة وحدثت {result.updated}",
                                  f"Imported {result.created} new and updated {result.updated} local unit(s)."), "ok")
                return redirect(url_for("places.units"), code=303)
            db.rollback()
    rows = db.execute(select(Entity, EntityUnit).outerjoin(EntityUnit, EntityUnit.entity_id == Entity.id)
                      .where(Entity.kind == EntityKind.local_unit).order_by(Entity.parent_id, Entity.code)).all()
    return render_template("places/units.html", form=form, errors=errors, rows=rows,
                           columns=unit_import.REQUIRED + unit_import.OPTIONAL, status=400 if errors else 200), \
        400 if errors else 200
