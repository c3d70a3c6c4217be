"""The identity actions of a case page: show the identity with a reason, correct the consent
with a reason, and find a complainant's cases by national ID or phone — each a POST (an
identity never sits in a URL or an access log) and each audited."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import LazyString, gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length, Optional

from agent_console import formatting, gate, labels, search
from agent_console.access import requires
from agent_console.cases import bp
from agent_console.database import get_or_404, session
from hotline import audit, consent, pii
from hotline.consent import MIN_REASON
from hotline.errors import ValidationError
from hotline.models import Case, User


def _reason_length(low: int) -> LazyString:
    """The reason's length rule, in the page's language and digits when it is shown."""
    return LazyString(lambda: _("Give a reason of %(low)s to %(high)s characters.",
                                low=formatting.number(low), high=formatting.number(500)))


class RevealForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[
        DataRequired(_l("Give the reason for showing the identity.")),
        Length(min=3, max=500, message=_reason_length(3))])


class ConsentForm(FlaskForm):
    consent = RadioField(_l("Consent"), choices=lambda: labels.options([("yes", _("yes")), ("no", _("no"))]),
                         validators=[DataRequired(_l("Choose yes or no."))])
    reason = StringField(_l("Reason for the correction"), validators=[
        DataRequired(_l("Give the reason for the correction.")),
        Length(min=MIN_REASON, max=500, message=_reason_length(MIN_REASON))])


class LookupForm(FlaskForm):
    national_id = StringField(_l("National ID"), validators=[Optional(), Length(max=20)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])


def _back(case_id: int):
    return redirect(url_for("cases.edit", case_id=case_id), code=303)


def _problems(form) -> str:
    return "؛ ".join(str(e) for errors in form.errors.values() for e in errors)


@bp.post("/cases/<int:case_id>/identity")
@requires("identity.reveal")
def reveal(case_id: int):
    """Show this case's identity to the signed-in user for identity_reveal_minutes; audited."""
    db = session()
    case = get_or_404(Case, case_id)
    form = RevealForm()
    if not form.validate_on_submit():
        flash(_problems(form) or _("The request is not valid."), "error")
        return _back(case_id)
    gate.reveal(db, current_user, case, form.reason.data.strip())
    db.commit()
    return _back(case_id)


@bp.post("/cases/<int:case_id>/consent")
@requires("consent.correct")
def correct_consent(case_id: int):
    """A supervisor corrects the recorded consent: reason, history and audit (hotline.consent)."""
    db = session()
    case = get_or_404(Case, case_id)
    form = ConsentForm()
    if not form.validate_on_submit():
        flash(_problems(form) or _("The request is not valid."), "error")
        return _back(case_id)
    try:
        consent.correct(db, case, form.consent.data == "yes", user=db.get(User, current_user.id),
                        reason=form.reason.data)
    except ValidationError as exc:
        db.rollback()
        flash(str(exc), "error")
        return _back(case_id)
    db.commit()
    flash(_("Consent corrected."), "ok")
    return _back(case_id)


@bp.route("/cases/find", methods=["GET", "POST"])
@requires("cases.find_by_identity")
def find():
    """A complainant's cases by national ID or phone. Only a POST searches (a GET shows the
    form); the audit keeps the look-up's keyed hash, never the number."""
    db = session()
    form, rows = LookupForm(), None
    if form.validate_on_submit() and (form.national_id.data or form.phone.data):
        by = "national_id" if form.national_id.data else "phone"
        value = form.national_id.data or form.phone.data
        rows, _more = search.page(db, search.Filters(**{by: value}), 1, 100)
        audit.record(db, "cases.looked_up", user=db.get(User, current_user.id), object_type="complainant",
                     detail={"by": by, "lookup": pii.lookup_hash(by, value)[:16], "found": len(rows)})
        db.commit()
        form.national_id.data = form.phone.data = ""  # not echoed back into the page
    return render_template("cases/find.html", form=form, rows=rows)
