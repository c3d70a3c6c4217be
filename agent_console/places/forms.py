"""Forms of the places blueprint (their CSRF token is what they are for, beside a pin)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import FloatField, HiddenField
from wtforms.validators import InputRequired, NumberRange


class ActionForm(FlaskForm):
    """Merge, dismiss, detach: nothing to type but the CSRF token (and the chosen cases)."""

    candidates = HiddenField()


class PinForm(FlaskForm):
    latitude = FloatField("latitude", validators=[InputRequired(), NumberRange(-90, 90)])
    longitude = FloatField("longitude", validators=[InputRequired(), NumberRange(-180, 180)])


class UnitsForm(FlaskForm):
    file = FileField("CSV")
