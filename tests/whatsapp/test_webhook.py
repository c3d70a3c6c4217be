"""The webhook: Meta's verification handshake, the signature, idempotency and delivery statuses."""
from __future__ import annotations

from sqlalchemy import func, select

from agent_console.whatsapp.models import Conversation, Message
from hotline import db
from tests.whatsapp import webhooks as wh
from tests.whatsapp.conftest import VERIFY_TOKEN, drain, post, say


def count(model) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_verification_echoes_the_challenge_only_for_our_token(client):
    ok = client.get(f"/whatsapp/webhook?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444")
    assert (ok.status_code, ok.get_data(as_text=True)) == (200, "1158201444")
    bad = client.get("/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")
    assert bad.status_code == 403


def test_bad_or_missing_signature_is_refused_and_nothing_is_stored(client, graph_api):
    body = wh.text("السلام عليكم")
    assert post(client, body, secret="not-the-app-secret").status_code == 401
    assert post(client, body, secret=None).status_code == 401
    assert post(client, body, header="sha256=" + "0" * 64).status_code == 401
    assert post(client, body, header="sha1=abc").status_code == 401
    drain()
    assert count(Message) == 0 and count(Conversation) == 0
    assert graph_api.sent == []


def test_signed_body_that_is_not_a_webhook_is_a_clear_400(client):
    response = post(client, {"object": "page", "entry": []})
    assert response.status_code == 400
    assert "not a WhatsApp webhook" in response.get_json()["error"]


def test_replayed_message_is_processed_once(client, graph_api):
    body = wh.text("السلام عليكم")
    for _ in range(3):  # Meta redelivers until it gets a 200
        assert post(client, body).status_code == 200
    drain()
    assert count(Message) == 2  # the message and one greeting
    assert len(graph_api.texts_to(wh.CITIZEN)) == 1


def test_delivery_statuses_move_a_reply_forward_and_record_a_failure(client, graph_api):
    say(client, wh.text("السلام عليكم"))
    with db.session_scope() as session:
        reply = session.scalars(select(Message).where(Message.direction == "out")).one()
        wamid = reply.wa_message_id
        assert reply.status == "sent" and wamid.startswith("wamid.")
    say(client, wh.status(wamid, "read"))
    say(client, wh.status(wamid, "delivered"))  # late, out of order: read stays
    with db.session_scope() as session:
        assert session.scalars(select(Message.status).where(Message.wa_message_id == wamid)).one() == "read"
    say(client, wh.status(wamid, "failed"))
    with db.session_scope() as session:
        row = session.scalars(select(Message).where(Message.wa_message_id == wamid)).one()
        assert row.status == "failed" and "131047" in row.error


def test_message_for_a_number_that_is_not_ours_is_acknowledged_but_not_taken(client, graph_api):
    body = wh.envelope({"messages": [{"from": wh.CITIZEN, "id": wh.message_id(), "timestamp": "1700000000",
                                      "type": "text", "text": {"body": "hi"}}]},
                       phone_number_id="999", display="15550001111")
    assert post(client, body).status_code == 200
    drain()
    assert count(Message) == 0


def test_second_business_number_is_known_by_its_display_number(client, graph_api):
    body = wh.envelope({"messages": [{"from": wh.CITIZEN, "id": wh.message_id(), "timestamp": "1700000000",
                                      "type": "text", "text": {"body": "مرحبا"}}]},
                       phone_number_id="106540352242999", display="20 155 552 5444")
    say(client, body)
    with db.session_scope() as session:
        conversation = session.scalars(select(Conversation)).one()
        assert (conversation.business_number, conversation.phone_number_id) == ("01555525444", "106540352242999")
    assert "01555525444" in graph_api.texts_to(wh.CITIZEN)[0]
    assert graph_api.requests[-1] == ("POST", "/v21.0/106540352242999/messages")
