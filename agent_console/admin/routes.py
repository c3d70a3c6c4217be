"""Users, entities and routing rules; every change goes to the audit trail."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from agent_console import labels, offload
from agent_console.access import requires
from agent_console.admin import bp
from agent_console.admin.forms import EntityForm, RuleForm, UserEditForm, UserForm
from agent_console.database import get_or_404, session
from hotline import audit, security, users
from hotline.errors import ValidationError
from hotline.models import Entity, RoutingRule, User


def _entities(db, by: str = "code"):
    rows = db.scalars(select(Entity).order_by(Entity.kind, Entity.menu_order, Entity.code)).all()
    return rows, [("", "—")] + [(getattr(e, by) if by == "code" else str(e.id), labels.entity(e)) for e in rows]


def _me(db) -> User:
    return db.get(User, current_user.id)


@bp.route("/users", methods=["GET", "POST"], endpoint="users")
@requires("users.manage")
def users_page():
    db = session()
    form = UserForm()
    form.entity.choices = _entities(db)[1]
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = [_("Give the new user a password.")]
        else:
            try:
                users.create_user(db, username=form.username.data, password=form.password.data,
                                  role=form.role.data, entity_code=form.entity.data or None,
                                  extension=form.extension.data or None,
                                  display_name=form.display_name.data or "", actor=current_user.username)
                db.commit()
                flash(_("User created."), "ok")
                return redirect(url_for("admin.users"))
            except ValidationError as exc:
                db.rollback()
                form.username.errors = [str(exc)]
    rows = db.scalars(select(User).order_by(User.username)).all()
    return render_template("admin/users.html", form=form, rows=rows, roles=security.ROLE_NAMES)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires("users.manage")
def user(user_id: int):
    db = session()
    target = get_or_404(User, user_id)
    entities, choices = _entities(db)
    form = UserEditForm(obj=None)
    form.entity.choices = choices
    if form.validate_on_submit():
        entity = next((e for e in entities if e.code == form.entity.data), None)
        if (form.role.data == security.ENTITY_OFFICER) != (entity is not None):
            form.entity.errors = [_("Entity officers, and only they, belong to an entity.")]
        elif target.id == current_user.id and not form.active.data:
            form.active.errors = [_("You cannot disable yourself.")]
        else:
            before = {"role": target.role, "entity_id": target.entity_id, "active": target.active}
            target.role, target.entity_id = form.role.data, entity.id if entity else None
            target.extension, target.active = form.extension.data or None, form.active.data
            if form.password.data:
                target.password_hash = offload.call(users.hash_password, form.password.data)
            audit.record(db, "user.changed", user=_me(db), object_type="user", object_id=target.id,
                         detail={"before": before, "role": target.role, "entity_id": target.entity_id,
                                 "active": target.active, "password_reset": bool(form.password.data)})
            db.commit()
            flash(_("User saved."), "ok")
            return redirect(url_for("admin.users"))
    elif not form.is_submitted():
        form.role.data, form.extension.data, form.active.data = target.role, target.extension, target.active
        form.entity.data = target.entity.code if target.entity else ""
    return render_template("admin/user.html", form=form, target=target)


@bp.route("/entities", methods=["GET", "POST"])
@requires("entities.manage")
def entities():
    db = session()
    rows = _entities(db)[0]
    return render_template("admin/entities.html", rows=rows, form=EntityForm())


@bp.post("/entities/<int:entity_id>")
@requires("entities.manage")
def entity(entity_id: int):
    db = session()
    row = db.get(Entity, entity_id)
    form = EntityForm()
    if row is None:
        abort(404)
    if form.validate_on_submit():
        row.active = form.active.data
        audit.record(db, "entity.changed", user=_me(db), object_type="entity", object_id=row.id,
                     detail={"active": row.active})
        db.commit()
    return redirect(url_for("admin.entities"))


@bp.route("/routing", methods=["GET"])
@requires("entities.manage")
def routing():
    db = session()
    rules = db.scalars(select(RoutingRule).order_by(RoutingRule.category, RoutingRule.governorate)).all()
    form = RuleForm()
    form.entity.choices = _entities(db, by="id")[1]
    return render_template("admin/routing.html", rules=rules, form=form)


@bp.post("/routing/<int:rule_id>")
@requires("entities.manage")
def rule(rule_id: int):
    db = session()
    row = get_or_404(RoutingRule, rule_id)
    form = RuleForm()
    form.entity.choices = _entities(db, by="id")[1]
    if form.validate_on_submit():
        if not form.to_governorate.data and not form.entity.data:
            flash(_("Choose an entity, or send to the case's governorate."), "error")
            return redirect(url_for("admin.routing"))
        row.to_governorate = form.to_governorate.data
        row.entity_id = None if row.to_governorate else int(form.entity.data)
        audit.record(db, "routing.changed", user=_me(db), object_type="routing_rule", object_id=row.id,
                     detail={"category": row.category, "governorate": row.governorate,
                             "entity_id": row.entity_id, "to_governorate": row.to_governorate})
        db.commit()
        flash(_("Routing rule saved."), "ok")
    return redirect(url_for("admin.routing"))
