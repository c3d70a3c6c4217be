"""Users, entities and routing rules; every change goes to the audit trail."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from agent_console import labels, messages, offload
from agent_console.access import requires
from agent_console.admin import bp
from agent_console.admin.forms import NEW_KINDS, EntityForm, RuleForm, ToggleForm, UserEditForm, UserForm
from agent_console.database import get_or_404, session
from hotline import audit, grants, reference, security, users
from hotline.errors import ValidationError
from hotline.models import Entity, EntityKind, GrantRequest, RoutingRule, User


def _entities(db, by: str = "code"):
    rows = db.scalars(select(Entity).order_by(Entity.kind, Entity.menu_order, Entity.code)).all()
    return rows, labels.options([("", "—")] + [(e.code if by == "code" else str(e.id), labels.entity(e))
                                               for e in rows])


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
                grants.request_new_user(db, _me(db), username=form.username.data,
                                        password=form.password.data, role=form.role.data,
                                        entity_code=form.entity.data or None,
                                        extension=form.extension.data or None,
                                        display_name=form.display_name.data or "")
                db.commit()
                flash(_waits(), "ok")
                return redirect(url_for("admin.users"))
            except ValidationError as exc:
                db.rollback()
                form.username.errors = [messages.translate(str(exc))]
    rows = db.scalars(select(User).order_by(User.username)).all()
    return render_template("admin/users.html", form=form, rows=rows, roles=security.ROLE_NAMES,
                           requests=grants.pending(db), decide_form=FlaskForm(),
                           people={u.id: u for u in rows}, grant_entities={e.id: e for e in _entities(db)[0]})


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
            hashed = offload.call(users.hash_password, form.password.data) if form.password.data else None
            try:
                waiting = grants.change(db, _me(db), target, role=form.role.data,
                                        entity_code=entity.code if entity else None,
                                        active=form.active.data, extension=form.extension.data or None,
                                        password_hash=hashed)
            except ValidationError as exc:
                db.rollback()
                form.role.errors = [messages.translate(str(exc))]
            else:
                audit.record(db, "user.changed", user=_me(db), object_type="user", object_id=target.id,
                             detail={"extension": target.extension, "active": target.active,
                                     "waits_for_approval": waiting is not None})
                db.commit()
                flash(_waits() if waiting else _("User saved."), "ok")
                return redirect(url_for("admin.users"))
    elif not form.is_submitted():
        form.role.data, form.extension.data, form.active.data = target.role, target.extension, target.active
        form.entity.data = target.entity.code if target.entity else ""
    return render_template("admin/user.html", form=form, target=target)


def _waits() -> str:
    return _("Saved: a second admin must approve the access it grants.")


@bp.post("/users/requests/<int:request_id>/<decision>")
@requires("users.manage")
def decide(request_id: int, decision: str):
    """A second admin approves or rejects another admin's grant (hotline.grants)."""
    db = session()
    row = get_or_404(GrantRequest, request_id)
    if decision not in ("approve", "reject") or not FlaskForm().validate_on_submit():
        abort(400)
    try:
        grants.decide(db, _me(db), row, approve=decision == "approve")
        db.commit()
        flash(_("Done."), "ok")
    except ValidationError as exc:
        db.rollback()
        flash(messages.translate(str(exc)), "error")
    return redirect(url_for("admin.users"), code=303)


@bp.route("/entities", methods=["GET", "POST"])
@requires("entities.manage")
def entities():
    """Every entity, and the form that adds one."""
    db = session()
    rows, parents = _entities(db, by="id")
    form = EntityForm()
    form.parent.choices = labels.options([("", _("— none —"))] + [(c.value, c.label) for c in parents[1:]])
    if form.validate_on_submit():
        problem = _new_entity_problem(db, form)
        if problem:
            form.code.errors = [problem]
        else:
            row = Entity(code=form.code.data, kind=EntityKind(form.kind.data))
            _apply(row, form)
            db.add(row)
            db.flush()
            audit.record(db, "entity.created", user=_me(db), object_type="entity", object_id=row.id,
                         detail={"code": row.code, "kind": row.kind.value, "parent_id": row.parent_id})
            db.commit()
            flash(_("Entity added."), "ok")
            return redirect(url_for("admin.entities"))
    return render_template("admin/entities.html", rows=rows, form=form, toggle=ToggleForm())


def _new_entity_problem(db, form: EntityForm) -> str | None:
    if not form.code.data:
        return _("Give the entity a code.")
    if db.scalar(select(Entity.id).where(Entity.code == form.code.data)) is not None:
        return _("Another entity has this code.")
    if form.kind.data not in NEW_KINDS:
        return _("Choose the kind of entity.")
    return None


def _apply(row: Entity, form: EntityForm) -> None:
    row.name_ar, row.name_en = form.name_ar.data.strip(), form.name_en.data.strip()
    row.parent_id = int(form.parent.data) if (form.parent.data or "").isdigit() else None
    row.active = form.active.data


@bp.route("/entities/<int:entity_id>", methods=["GET", "POST"])
@requires("entities.manage")
def entity(entity_id: int):
    """Edit an entity's names, parent and whether it receives complaints (the list's toggle too)."""
    db = session()
    row = get_or_404(Entity, entity_id)
    if request.method == "POST" and "name_ar" not in request.form:  # the list's enable/disable
        toggle = ToggleForm()
        if toggle.validate_on_submit():
            row.active = toggle.active.data
            audit.record(db, "entity.changed", user=_me(db), object_type="entity", object_id=row.id,
                         detail={"active": row.active})
            db.commit()
        return redirect(url_for("admin.entities"))
    _rows, parents = _entities(db, by="id")
    form = EntityForm(obj=None if request.method == "POST" else row)
    form.parent.choices = labels.options([("", _("— none —"))] + [
        (c.value, c.label) for c in parents[1:] if c.value != str(row.id)])
    if request.method == "GET":
        form.parent.data = str(row.parent_id or "")
    elif form.validate_on_submit():
        if form.parent.data and _descends(db, int(form.parent.data), row.id):
            form.parent.errors = [_("An entity cannot be part of itself or of one of its own units.")]
        else:
            before = {"name_ar": row.name_ar, "name_en": row.name_en, "parent_id": row.parent_id,
                      "active": row.active}
            _apply(row, form)
            audit.record(db, "entity.changed", user=_me(db), object_type="entity", object_id=row.id,
                         detail={"before": before, "name_ar": row.name_ar, "name_en": row.name_en,
                                 "parent_id": row.parent_id, "active": row.active})
            db.commit()
            flash(_("Entity saved."), "ok")
            return redirect(url_for("admin.entities"))
    return render_template("admin/entity.html", row=row, form=form)


def _descends(db, candidate_id: int, entity_id: int) -> bool:
    """True when ``candidate_id`` is ``entity_id`` or one of its units (a cycle if made parent)."""
    seen = set()
    while candidate_id is not None and candidate_id not in seen:
        if candidate_id == entity_id:
            return True
        seen.add(candidate_id)
        candidate_id = db.scalar(select(Entity.parent_id).where(Entity.id == candidate_id))
    return False


PRIORITY = {(False, False): 1, (False, True): 2, (True, False): 3, (True, True): 4}


def priority(rule: RoutingRule) -> int:
    """1 for a category × governorate rule, 2 category × any, 3 any × governorate, 4 any × any:
    the order hotline.cases.routing tries them in."""
    return PRIORITY[(rule.category == reference.ANY, rule.governorate == reference.ANY)]


def _targets(db) -> list:
    return labels.options([("", "—"), ("governorate", _("the case's governorate"))] + [
        (c.value, c.label) for c in _entities(db, by="id")[1][1:]])


@bp.route("/routing", methods=["GET", "POST"])
@requires("entities.manage")
def routing():
    """The routing rules in the order they apply, and the form that adds one."""
    db = session()
    rules = sorted(db.scalars(select(RoutingRule)).all(),
                   key=lambda r: (priority(r), r.category, r.governorate))
    form = RuleForm()
    form.target.choices = _targets(db)
    if form.validate_on_submit():
        key = (form.category.data or reference.ANY, form.governorate.data or reference.ANY)
        if db.scalar(select(RoutingRule.id).where(RoutingRule.category == key[0],
                                                  RoutingRule.governorate == key[1])) is not None:
            form.category.errors = [_("A rule for this category and governorate exists: change it in the list.")]
        else:
            row = RoutingRule(category=key[0], governorate=key[1])
            _target(row, form.target.data)
            db.add(row)
            db.flush()
            _audit_rule(db, "routing.created", row)
            db.commit()
            flash(_("Routing rule added."), "ok")
            return redirect(url_for("admin.routing"))
    return render_template("admin/routing.html", rules=rules, form=form, targets=form.target.choices,
                           priority=priority, delete_form=ToggleForm())


def _target(row: RoutingRule, target: str) -> None:
    row.to_governorate = target == "governorate"
    row.entity_id = None if row.to_governorate else int(target)


def _audit_rule(db, action: str, row: RoutingRule) -> None:
    audit.record(db, action, user=_me(db), object_type="routing_rule", object_id=row.id,
                 detail={"category": row.category, "governorate": row.governorate,
                         "entity_id": row.entity_id, "to_governorate": row.to_governorate})


@bp.post("/routing/<int:rule_id>")
@requires("entities.manage")
def rule(rule_id: int):
    """Change where one rule sends complaints."""
    db = session()
    row = get_or_404(RoutingRule, rule_id)
    target = request.form.get("target", "")
    choices = {c.value for c in _targets(db)} - {""}
    if not ToggleForm().validate_on_submit() or target not in choices:
        flash(_("Choose an entity, or send to the case's governorate."), "error")
        return redirect(url_for("admin.routing"))
    _target(row, target)
    _audit_rule(db, "routing.changed", row)
    db.commit()
    flash(_("Routing rule saved."), "ok")
    return redirect(url_for("admin.routing"))


@bp.post("/routing/<int:rule_id>/delete")
@requires("entities.manage")
def delete_rule(rule_id: int):
    """Delete a rule; the any × any rule stays, so every complaint has somewhere to go."""
    db = session()
    row = get_or_404(RoutingRule, rule_id)
    if not ToggleForm().validate_on_submit():
        return redirect(url_for("admin.routing"))
    if (row.category, row.governorate) == (reference.ANY, reference.ANY):
        flash(_("The rule for any category and any governorate cannot be deleted: change its entity instead."), "error")
        return redirect(url_for("admin.routing"))
    _audit_rule(db, "routing.deleted", row)
    db.delete(row)
    db.commit()
    flash(_("Routing rule deleted."), "ok")
    return redirect(url_for("admin.routing"))
