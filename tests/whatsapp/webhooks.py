"""Webhook bodies shaped as Meta's published examples (Cloud API, ``messages`` field)."""
from __future__ import annotations

import itertools
import time

WABA_ID = "102290129340398"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_NUMBER = "201555516528"  # 01555516528 as Meta writes it
CITIZEN = "201012345678"
_ids = itertools.count(1)


def message_id() -> str:
    return f"wamid.HBgLMjAxMDEyMzQ1Njc4FQIAEhgg{next(_ids):08d}"


def envelope(value: dict, phone_number_id: str = PHONE_NUMBER_ID, display: str = DISPLAY_NUMBER) -> dict:
    """The outer body of every delivery."""
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": display, "phone_number_id": phone_number_id}, **value}
    return {"object": "whatsapp_business_account",
            "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}]}


def _message(kind: str, content: dict, sender: str, at: float | None, **extra) -> dict:
    message = {"from": sender, "id": message_id(), "timestamp": str(int(at or time.time())),
               "type": kind, **extra}
    if content is not None:
        message[kind] = content
    return envelope({"contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": sender}],
                     "messages": [message]})


def text(body: str, sender: str = CITIZEN, at: float | None = None) -> dict:
    return _message("text", {"body": body}, sender, at)


def image(media_id: str, mime_type: str = "image/jpeg", caption: str | None = None,
          sender: str = CITIZEN, at: float | None = None) -> dict:
    content = {"mime_type": mime_type, "sha256": "IMAGE_HASH", "id": media_id}
    if caption:
        content["caption"] = caption
    return _message("image", content, sender, at)


def document(media_id: str, mime_type: str, filename: str, sender: str = CITIZEN) -> dict:
    return _message("document", {"filename": filename, "mime_type": mime_type, "sha256": "DOC_HASH",
                                 "id": media_id}, sender, None)


def audio(media_id: str, sender: str = CITIZEN) -> dict:
    return _message("audio", {"mime_type": "audio/ogg; codecs=opus", "sha256": "AUDIO_HASH",
                              "id": media_id, "voice": True}, sender, None)


def location(latitude: float, longitude: float, sender: str = CITIZEN) -> dict:
    return _message("location", {"latitude": latitude, "longitude": longitude,
                                 "name": "Garbage pile", "address": "Shubra St, Cairo"}, sender, None)


def list_reply(row_id: str, title: str, sender: str = CITIZEN) -> dict:
    return _message("interactive", {"type": "list_reply", "list_reply": {
        "id": row_id, "title": title, "description": title}}, sender, None,
        context={"from": DISPLAY_NUMBER, "id": "wamid.PREVIOUS"})


def button_reply(button_id: str, title: str, sender: str = CITIZEN) -> dict:
    return _message("interactive", {"type": "button_reply", "button_reply": {
        "id": button_id, "title": title}}, sender, None,
        context={"from": DISPLAY_NUMBER, "id": "wamid.PREVIOUS"})


def sticker(sender: str = CITIZEN) -> dict:
    return _message("sticker", {"mime_type": "image/webp", "sha256": "S", "id": "sticker-1",
                                "animated": False}, sender, None)


def unsupported(sender: str = CITIZEN) -> dict:
    return _message("unsupported", None, sender, None, errors=[{
        "code": 131051, "title": "Message type unknown",
        "message": "Message type unknown", "error_data": {"details": "Message type is currently not supported."}}])


def status(wa_message_id: str, state: str, recipient: str = CITIZEN) -> dict:
    item = {"id": wa_message_id, "status": state, "timestamp": str(int(time.time())),
            "recipient_id": recipient,
            "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"}}
    if state == "failed":
        item["errors"] = [{"code": 131047, "title": "Re-engagement message",
                           "message": "Re-engagement message", "error_data": {
                               "details": "More than 24 hours have passed since the customer last replied."}}]
    return envelope({"statuses": [item]})
