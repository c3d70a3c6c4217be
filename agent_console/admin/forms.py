"""Forms for users, entities and routing rules."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from agent_console import labels
from hotline import security, users


def _roles():
    return labels.options((role, str(labels.ROLE.get(role, role))) for role in security.ROLES)


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
    active = BooleanField(_l("Active"))


class RuleForm(FlaskForm):
    entity = SelectField(_l("Entity"), validators=[Optional()], choices=lambda: labels.choices({}))
    to_governorate = BooleanField(_l("To the case's governorate"))
