"""Forms of the live-calls page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired, Optional

from agent_console import labels
from agent_console.agents import PAUSE_REASONS


class TakeForm(FlaskForm):
    """Take a queued call by its id or its Asterisk unique id."""

    call_id = HiddenField()
    uniqueid = HiddenField()


class StateForm(FlaskForm):
    state = SelectField(_l("State"), validators=[DataRequired()], choices=lambda: labels.options(
        (code, str(labels.AGENT_STATE[code])) for code in ("available", "paused")))
    reason = SelectField(_l("Pause reason"), validators=[Optional()], choices=lambda: labels.choices(
        {code: labels.PAUSE_REASON[code] for code in PAUSE_REASONS}))
