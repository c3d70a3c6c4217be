"""Gateways that carry a notification to the citizen, chosen by ``settings.notify_adapter``.

- ``sms``: an HTTP SMS gateway speaking the Twilio Messages API (``POST /2010-04-01/Accounts/
  {sid}/Messages.json``, form fields To/From/Body, HTTP Basic auth) — the format most gateways copy.
- ``whatsapp``: the WhatsApp Cloud API template message (``POST {graph}/{phone_number_id}/messages``,
  JSON, Bearer token) — the only message a business may send outside the 24-hour window.
- none configured: the message is only logged.
"""
from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from hotline import pii, settings

log = logging.getLogger(__name__)
TIMEOUT = 15  # seconds; a slow gateway is retried later rather than holding a worker


class DeliveryError(Exception):
    """The gateway did not take the message; ``transient`` failures are worth retrying."""

    def __init__(self, reason: str, *, transient: bool):
        super().__init__(reason)
        self.transient = transient


class Adapter(Protocol):
    name: str

    def send(self, to: str, pieces: dict[str, str], text: str, language: str) -> str:
        """Hand the message over; return the gateway's message id or raise DeliveryError."""


class LogOnly:
    """No gateway configured: write the message to the log (phone masked) and call it sent."""

    name = "log"

    def send(self, to, pieces, text, language):
        log.info("notification (no adapter configured) to %s: %s", pii.mask_phone(to), text)
        return "logged"


class SmsGateway:
    """Twilio-compatible SMS over HTTP."""

    name = "sms"

    def send(self, to, pieces, text, language):
        conf = settings.get()
        url = (f"{conf.notify_sms_url.rstrip('/')}/2010-04-01/Accounts/"
               f"{urllib.parse.quote(conf.notify_sms_account)}/Messages.json")
        body = urllib.parse.urlencode({"To": "+" + to, "From": conf.notify_sms_sender, "Body": text})
        basic = base64.b64encode(f"{conf.notify_sms_account}:{conf.notify_sms_token}".encode()).decode()
        reply = _post(url, body.encode(), {"Content-Type": "application/x-www-form-urlencoded",
                                           "Authorization": f"Basic {basic}"})
        if reply.get("status") == "failed" or not reply.get("sid"):
            raise DeliveryError(f"gateway refused: {reply.get('message') or reply}", transient=False)
        return str(reply["sid"])


class WhatsAppTemplate:
    """WhatsApp Cloud API template message from the hotline's business number."""

    name = "whatsapp"

    def send(self, to, pieces, text, language):
        conf = settings.get()
        phone_id = next(number_id for _number, number_id in conf.whatsapp_numbers if number_id)
        values = [pieces["number"], pieces["status"], pieces["answer"] or "-"]
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
                "type": "template",
                "template": {"name": conf.notify_whatsapp_template,
                             "language": {"code": conf.notify_whatsapp_language},
                             "components": [{"type": "body", "parameters": [
                                 {"type": "text", "text": value} for value in values]}]}}
        reply = _post(f"{conf.whatsapp_graph_url.rstrip('/')}/{phone_id}/messages",
                      json.dumps(body, ensure_ascii=False).encode(),
                      {"Content-Type": "application/json",
                       "Authorization": f"Bearer {conf.whatsapp_access_token}"})
        messages = reply.get("messages") or []
        if not messages or not messages[0].get("id"):
            raise DeliveryError(f"unexpected reply: {reply}", transient=False)
        return str(messages[0]["id"])


ADAPTERS: dict[str, type] = {"": LogOnly, "sms": SmsGateway, "whatsapp": WhatsAppTemplate}


def configured() -> Adapter:
    """The adapter the settings choose."""
    return ADAPTERS[settings.get().notify_adapter]()


def _post(url: str, data: bytes, headers: dict[str, str]) -> dict:
    """POST and decode a JSON reply; HTTP 429/5xx and network errors are transient."""
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return _json(response.read())
    except urllib.error.HTTPError as exc:
        reply = _json(exc.read())
        detail = (reply.get("error") or {}).get("message") if isinstance(reply.get("error"), dict) \
            else reply.get("message")
        raise DeliveryError(f"HTTP {exc.code}: {detail or exc.reason}",
                            transient=exc.code == 429 or exc.code >= 500) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise DeliveryError(f"gateway unreachable: {getattr(exc, 'reason', exc)}", transient=True) from None


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {"message": raw[:200].decode(errors="replace")}
    return value if isinstance(value, dict) else {"message": str(value)[:200]}
