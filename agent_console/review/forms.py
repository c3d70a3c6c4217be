"""The QA scorecard form, built from config/qa.yaml."""
from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from hotline import resources


@cache
def criteria() -> tuple[dict, ...]:
    """The scorecard's criteria: code, names, max points and weight."""
    rows = resources.load_yaml("qa.yaml")["criteria"]
    return tuple({"code": r["code"], "name_ar": r["name_ar"], "name_en": r["name_en"],
                  "max": int(r["max"]), "weight": float(r.get("weight", 1))} for r in rows)


def scorecard_form(*args, **kwargs) -> FlaskForm:
    """A form with one 0..max field per criterion and a comment."""

    class ScorecardForm(FlaskForm):
        comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])

    for item in criteria():
        setattr(ScorecardForm, f"score_{item['code']}", IntegerField(
            item["code"], validators=[
                InputRequired(_l("Give every criterion a score.")),
                NumberRange(0, item["max"], _l("The score must be between %(min)s and %(max)s."))]))
    return ScorecardForm(*args, **kwargs)


def total(scores: dict[str, int]) -> float:
    """The weighted percentage of a scorecard."""
    weights = sum(c["weight"] for c in criteria())
    return round(100 * sum(c["weight"] * scores[c["code"]] / c["max"] for c in criteria()) / weights, 1)
