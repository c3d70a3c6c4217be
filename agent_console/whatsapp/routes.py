"""The Cloud API webhook, and a case's WhatsApp conversation (history, photos, an agent's reply).

The webhook is public but authenticated: Meta signs each POST body with the app secret
(``X-Hub-Signature-256: sha256=<hex HMAC>``), checked on the raw bytes before anything is parsed.
It cannot carry a CSRF token, so it is exempt from CSRF; every other view checks a permission.
"""
from __future__ import annotations

import hmac
import logging

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from agent_console import gate, limits, photo_views
from agent_console.access import public, requires
from agent_console.database import get_or_404, session
from agent_console.extensions import csrf
from agent_console.whatsapp import bp, history, inbox, outbox, payload, replies, signature
from hotline import audit, settings
from hotline.models import Case, User

log = logging.getLogger(__name__)


@bp.get("/whatsapp/webhook")
@public
def verify():
    """Meta's subscription check: echo hub.challenge when hub.verify_token is ours."""
    token = settings.get().whatsapp_verify_token
    if not token:
        return jsonify(error="WhatsApp webhook is not configured (whatsapp_verify_token)"), 503
    given = request.args.get("hub.verify_token", "")
    if request.args.get("hub.mode") != "subscribe" or not hmac.compare_digest(given, token):
        return jsonify(error="verification failed"), 403
    return Response(request.args.get("hub.challenge", ""), mimetype="text/plain")


@bp.post("/whatsapp/webhook")
@public
@csrf.exempt
def receive():
    """A delivery of messages and statuses: checked, stored once, processed in the background."""
    secret = settings.get().whatsapp_app_secret
    if not secret:
        return jsonify(error="WhatsApp webhook is not configured (whatsapp_app_secret)"), 503
    raw = request.get_data(cache=False)
    if not signature.valid(secret, raw, request.headers.get("X-Hub-Signature-256")):
        log.warning("WhatsApp webhook refused: bad or missing signature from %s", request.remote_addr)
        return jsonify(error="invalid signature"), 401
    try:
        messages, statuses, problems = payload.read(limits.loads(raw))
    except (ValueError, payload.PayloadError) as exc:
        return jsonify(error=f"not a WhatsApp webhook body: {exc}"), 400
    for problem in problems:
        log.warning("WhatsApp webhook: %s", problem)
    db = session()
    stored = inbox.store(db, messages, statuses)
    db.commit()
    inbox.enqueue(stored)
    return jsonify(status="ok", stored=len(stored))


def _case(db, case_id: int) -> Case:
    return get_or_404(Case, case_id)


@bp.get("/cases/<int:case_id>/whatsapp")
@requires("cases.view")
def conversation(case_id: int):
    """The case's WhatsApp conversation and photos, with a reply box for those who may edit."""
    db = session()
    case = _case(db, case_id)
    shown = history.for_case(db, case)
    seen = gate.view(db, case, current_user)  # message texts pass the identity gate too
    db.commit()
    return render_template("whatsapp/conversation.html", case=case, history=shown, seen=seen,
                           photos=history.photos(db, case), can_reply=current_user.can("cases.edit"))


@bp.post("/cases/<int:case_id>/whatsapp/reply")
@requires("cases.edit")
def reply(case_id: int):
    """An agent continues the conversation: the text goes out through the Cloud API."""
    db = session()
    case = _case(db, case_id)
    text = (request.form.get("text") or "").strip()
    conversation = history.latest_conversation(db, case)
    if conversation is None or not text or len(text) > 4096:
        flash(_("Write a reply of up to 4096 characters.") if conversation
              else _("This complaint has no WhatsApp conversation."), "error")
        return redirect(url_for("whatsapp.conversation", case_id=case.id))
    user = db.get(User, current_user.id)
    message = outbox.queue(db, conversation, replies.text(text), user=user)
    message.case_id = case.id
    audit.record(db, "whatsapp.replied", user=user, object_type="case", object_id=case.id, case_id=case.id)
    db.commit()
    outbox.enqueue([message.id])
    flash(_("The reply is queued for sending."), "ok")
    return redirect(url_for("whatsapp.conversation", case_id=case.id))


@bp.get("/whatsapp/photos/<int:attachment_id>")
@requires("cases.view")
def photo(attachment_id: int):
    """A case photo, decrypted in memory; every view is audited."""
    db = session()
    data, media_type = photo_views.opened(db, attachment_id)
    db.commit()
    return photo_views.private(data, media_type)
