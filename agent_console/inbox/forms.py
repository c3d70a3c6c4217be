"""The inbox's action forms: every action but acknowledging needs a text."""
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class ActionForm(FlaskForm):
    """Acknowledge (no text needed) — CSRF only."""


class TextForm(FlaskForm):
    """Answer, ask for more information, or decline: the text goes to history or the citizen."""

    text = TextAreaField("النص · Text", validators=[
        DataRequired("اكتب النص · Write the text."),
        Length(min=3, max=5000, message="من 3 إلى 5000 حرف · 3 to 5000 characters.")])
