"""The case form and the search form; every message has its Arabic text in translations/."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from agent_console import labels
from hotline import national_id, pii

_PHONE = re.compile(r"^0(1[0125]\d{8}|[2-9]\d{7,8})$")


def check_national_id(_form, field) -> None:
    """A national ID, when given, must be a real one (14 digits, date, governorate)."""
    if field.data and national_id.problem(field.data):
        raise ValidationError(_l("The national ID must be 14 digits: century, birth date, governorate code."))


def check_phone(_form, field) -> None:
    """An Egyptian mobile or landline number, when given."""
    if field.data and not _PHONE.match(pii.normalise("phone", field.data)):
        raise ValidationError(_l("Enter an Egyptian phone number, e.g. 01012345678."))


class CaseForm(FlaskForm):
    name = StringField(_l("Complainant name"), validators=[Optional(), Length(max=200, message=_l("Too long."))])
    phone = StringField(_l("Phone"), validators=[Optional(), check_phone])
    national_id = StringField(_l("National ID"), validators=[Optional(), check_national_id])
    consent = BooleanField(_l("Consents to share identity with the entity"))
    governorate = SelectField(_l("Governorate"), choices=labels.governorate_choices,
                              validators=[DataRequired(_l("Choose the governorate."))])
    district = StringField(_l("District / village"), validators=[Optional(), Length(max=200, message=_l("Too long."))])
    address = StringField(_l("Address or landmark"), validators=[Optional(), Length(max=500, message=_l("Too long."))])
    category = SelectField(_l("Category"), choices=labels.category_choices,
                           validators=[DataRequired(_l("Choose the category."))])
    description = TextAreaField(_l("Description"), validators=[
        DataRequired(_l("Write what the complaint is about.")),
        Length(min=10, max=5000, message=_l("The description must be 10 to 5000 characters."))])
    entity_id = SelectField(_l("Route to entity"), coerce=str, validators=[Optional()])
    note = StringField(_l("Routing note"), validators=[Optional(), Length(max=500)])
    disposition = SelectField(_l("Disposition"), validators=[Optional()],
                              choices=lambda: labels.choices(labels.DISPOSITION))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(_l("Search text"), validators=[Optional(), Length(max=200)])
    number = StringField(_l("Complaint number"), validators=[Optional(), Length(max=20)])
    national_id = StringField(_l("National ID"), validators=[Optional(), Length(max=20)])
    status = SelectField(_l("Status"), validators=[Optional()], choices=lambda: labels.choices(labels.STATUS))
    category = SelectField(_l("Category"), choices=labels.category_choices, validators=[Optional()])
    governorate = SelectField(_l("Governorate"), choices=labels.governorate_choices, validators=[Optional()])
    entity_id = SelectField(_l("Entity"), coerce=str, validators=[Optional()], choices=lambda: labels.choices({}))
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    sla_breached = BooleanField(_l("Past due (SLA)"))
