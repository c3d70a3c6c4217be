"""``POST /sms/inbound``: an SMS a citizen sent, as the gateway delivers it (Twilio's webhook).

Twilio's published format: a form POST (MessageSid, AccountSid, From, To, Body, ...) signed in
``X-Twilio-Signature``: base64 of HMAC-SHA1, keyed with the account's auth token, over the URL
the gateway called followed by every POST field's name and value, sorted by name. The URL is
``notify_sms_webhook_url`` when set (behind a proxy the request's own URL differs), else the
request's. The reply is TwiML: one ``<Message>`` the gateway sends back to the citizen.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from xml.sax.saxutils import escape

from flask import Response, request

from agent_console.access import public
from agent_console.database import session
from agent_console.extensions import csrf
from agent_console.sms import bp
from hotline import settings, survey_sms

log = logging.getLogger(__name__)


def signature(token: str, url: str, fields: dict[str, str]) -> str:
    """The X-Twilio-Signature of a POST of ``fields`` to ``url``."""
    data = url + "".join(f"{key}{fields[key]}" for key in sorted(fields))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def _twiml(text: str | None, status: int = 200) -> Response:
    body = f"<Message>{escape(text)}</Message>" if text else ""
    return Response(f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>', status,
                    mimetype="text/xml")


@bp.post("/sms/inbound")
@public
@csrf.exempt
def inbound():
    conf = settings.get()
    if not conf.notify_sms_token:
        return Response("SMS webhook is not configured (notify_sms_token)", 503, mimetype="text/plain")
    fields = request.form.to_dict()
    url = conf.notify_sms_webhook_url or request.url
    given = request.headers.get("X-Twilio-Signature", "")
    if not hmac.compare_digest(given, signature(conf.notify_sms_token, url, fields)):
        log.warning("SMS webhook refused: bad or missing signature from %s", request.remote_addr)
        return Response("invalid signature", 401, mimetype="text/plain")
    if conf.notify_sms_account and fields.get("AccountSid") != conf.notify_sms_account:
        return Response("not this account's message", 403, mimetype="text/plain")
    if not fields.get("From"):
        return Response("From is missing", 400, mimetype="text/plain")
    db = session()
    text = survey_sms.reply(db, fields["From"], fields.get("Body", "")[:1600])
    db.commit()
    return _twiml(text)
