"""Forms of the live-calls page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired, Optional

from agent_console.agents import PAUSE_REASONS


class TakeForm(FlaskForm):
    """Take a queued call by its id or its Asterisk unique id."""

    call_id = HiddenField()
    uniqueid = HiddenField()


class StateForm(FlaskForm):
    state = SelectField(_l("State"), validators=[DataRequired()], choices=[
        ("available", _l("Available")), ("paused", _l("Paused")), ("wrap_up", _l("Wrap-up"))])
    reason = SelectField(_l("Pause reason"), validators=[Optional()], choices=[
        ("", "—")] + [(r, r) for r in PAUSE_REASONS])
