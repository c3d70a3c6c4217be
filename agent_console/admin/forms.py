"""Forms for users, entities and routing rules; every message has its Arabic text in translations/."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from agent_console import labels
from hotline import security, users

ARABIC = re.compile(r"[\u0600-\u06FF]")
LATIN = re.compile(r"[A-Za-z]")
# Kinds an admin may add: governorates are the 27 of config/entities.yaml.
NEW_KINDS = ("ministry", "authority", "local_unit")


def _roles():
    return labels.options((role, str(labels.ROLE.get(role, role))) for role in security.ROLES)


def _kinds():
    return labels.options((kind, str(labels.ENTITY_KIND[kind])) for kind in NEW_KINDS)


def _arabic(_form, field) -> None:
    if field.data and not ARABIC.search(field.data):
        raise ValidationError(_l("Write the Arabic name in Arabic letters."))


def _english(_form, field) -> None:
    if field.data and (ARABIC.search(field.data) or not LATIN.search(field.data)):
        raise ValidationError(_l("Write the English name in Latin letters."))


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter a username.")), Length(max=64)])
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=_roles)
    entity = SelectField(_l("Entity"), validators=[Optional()], choices=lambda: labels.choices({}))
    extension = StringField(_l("Extension"), validators=[Optional(), Length(max=32)])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(
        min=users.MIN_PASSWORD, message=_l("The password must have at least 10 characters."))])


class UserEditForm(FlaskForm):
    role = SelectField(_l("Role"), choices=_roles)
    entity = SelectField(_l("Entity"), validators=[Optional()], choices=lambda: labels.choices({}))
    extension = StringField(_l("Extension"), validators=[Optional(), Length(max=32)])
    active = BooleanField(_l("Active"))
    password = PasswordField(_l("New password"), validators=[Optional(), Length(
        min=users.MIN_PASSWORD, message=_l("The password must have at least 10 characters."))])


class EntityForm(FlaskForm):
    """Add an entity (code and kind) or edit one (names, parent, active)."""

    code = StringField(_l("Code"), validators=[Optional(), Regexp(
        r"^[a-z0-9][a-z0-9-]{1,62}$", message=_l("A code is 2 to 63 small Latin letters, digits and dashes."))])
    kind = SelectField(_l("Kind"), choices=_kinds, validators=[Optional()])
    name_ar = StringField(_l("Arabic name"), validators=[
        DataRequired(_l("Give the Arabic name.")), Length(max=200), _arabic])
    name_en = StringField(_l("English name"), validators=[
        DataRequired(_l("Give the English name.")), Length(max=200), _english])
    parent = SelectField(_l("Part of"), validators=[Optional()], choices=lambda: labels.choices({}))
    active = BooleanField(_l("Active: can receive complaints"), default=True)


class ToggleForm(FlaskForm):
    """Enable or disable an entity from the list."""

    active = BooleanField(_l("Active"))


class RuleForm(FlaskForm):
    """A routing rule: category × governorate → an entity or the case's governorate."""

    category = SelectField(_l("Category"), choices=lambda: labels.category_choices(str(_l("Any category"))))
    governorate = SelectField(_l("Governorate"),
                              choices=lambda: labels.governorate_choices(str(_l("Any governorate"))))
    target = SelectField(_l("Send to"), choices=lambda: labels.choices({}),
                         validators=[DataRequired(_l("Choose where the rule sends complaints."))])
