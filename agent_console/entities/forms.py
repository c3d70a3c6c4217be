"""The entity's answer to a case."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class AnswerForm(FlaskForm):
    body = TextAreaField(_l("Answer to the citizen"), validators=[
        DataRequired(_l("Write the answer.")), Length(min=5, max=5000, message=_l("Too long or too short."))])
