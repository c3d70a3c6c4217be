"""Admins import the entity tree below the governorates (local units) from CSV; every problem
the import finds is said in the page's language (``hotline.unit_import`` words it in English)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select

from agent_console import formatting, labels
from agent_console.access import requires
from agent_console.database import session
from agent_console.places import bp
from agent_console.places.forms import UnitsForm
from hotline import audit, unit_import
from hotline.models import Entity, EntityKind, EntityUnit, User

MAX_BYTES = 2 * 1024 * 1024
# unit_import.MESSAGES in the page's language; values are filled in by _worded.
PROBLEMS = {
    "missing_columns": lambda: _("missing column(s) %(columns)s"),
    "unknown_columns": lambda: _("unknown column(s) %(columns)s"),
    "too_many_rows": lambda: _("more than %(limit)s rows: split the file"),
    "no_rows": lambda: _("the file has no rows"),
    "bad_code": lambda: _("code '%(code)s': 3-64 lower-case letters, digits or '-'"),
    "code_twice": lambda: _("code '%(code)s' appears twice"),
    "not_a_unit": lambda: _("code '%(code)s' is a %(entity_kind)s, not a local unit"),
    "bad_kind": lambda: _("kind '%(kind)s': choose %(kinds)s"),
    "bad_name": lambda: _("%(column)s: required, at most 200 characters"),
    "bad_parent": lambda: _("parent '%(parent)s': not a governorate or a local unit above this row"),
    "half_a_point": lambda: _("give both latitude and longitude, or neither"),
    "not_in_egypt": lambda: _("latitude/longitude %(latitude)s,%(longitude)s: not a point in Egypt"),
    "other_governorate": lambda: _("latitude/longitude %(latitude)s,%(longitude)s lie in %(found)s, not in %(governorate)s"),
    "bad_radius": lambda: _("%(column)s: a number from 0.1 to 100"),
    "unknown_categories": lambda: _("%(column)s: unknown %(categories)s"),
}
NAMED = {"entity_kind": lambda code: labels.name(labels.ENTITY_KIND, code), "found": labels.governorate,
         "governorate": labels.governorate, "limit": formatting.number}


def _worded(problem: unit_import.Problem) -> Markup:
    """One problem in the page's language: what the file holds as written, its line in the page's digits."""
    values = {}
    for key, value in problem.values.items():
        if key in NAMED:
            values[key] = NAMED[key](value)
        elif isinstance(value, (list, tuple)):
            values[key] = Markup("، " if labels.arabic() else ", ").join(formatting.code(v) for v in value)
        else:
            values[key] = formatting.code(value)
    text = _marked(PROBLEMS[problem.what](), **values)
    if not problem.line:
        return text
    return _marked(_("line %(line)s: %(problem)s"), line=formatting.number(problem.line), problem=text)


def _marked(text: str, **values) -> Markup:
    """A translated ``text`` with its values filled in, markup in them kept (a code's <bdi>)."""
    return escape(text) % values


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
            text, errors = "", [_marked(_("The file is not %(encoding)s text: save it as %(encoding)s."),
                                        encoding=formatting.code("UTF-8"))]
        if not data:
            errors = [_marked(_("Choose a %(format)s file."), format=formatting.code("CSV"))]
        elif len(data) > MAX_BYTES:
            errors = [_("The file is larger than 2 MB: split it.")]
        if not errors:
            result = unit_import.load(db, text)
            errors = [_worded(problem) for problem in result.problems]
            if not errors:
                audit.record(db, "entities.units_imported", user=db.get(User, current_user.id),
                             object_type="entity", detail={"created": result.created, "updated": result.updated})
                db.commit()
                flash(_("Imported %(created)s new and updated %(updated)s local unit(s).",
                        created=formatting.number(result.created), updated=formatting.number(result.updated)), "ok")
                return redirect(url_for("places.units"), code=303)
            db.rollback()
    rows = db.execute(select(Entity, EntityUnit).outerjoin(EntityUnit, EntityUnit.entity_id == Entity.id)
                      .where(Entity.kind == EntityKind.local_unit).order_by(Entity.parent_id, Entity.code)).all()
    return render_template("places/units.html", form=form, errors=errors, rows=rows,
                           columns=unit_import.REQUIRED + unit_import.OPTIONAL, status=400 if errors else 200), \
        400 if errors else 200
