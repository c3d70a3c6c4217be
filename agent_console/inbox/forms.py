"""The inbox's action forms: every action but acknowledging needs a text."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class ActionForm(FlaskForm):
    """Acknowledge (no text needed) — CSRF only."""


class TextForm(FlaskForm):
    """Answer, ask for more information, or decline: the text goes to history or the citizen."""

    text = TextAreaField(_l("Text"), validators=[
        DataRequired(_l("Write the text.")),
        Length(min=3, max=5000, message=_l("Write 3 to 5000 characters."))])
