"""Replies: a failed send is retried with back-off; a refused one is marked failed; the case stays."""
from __future__ import annotations

from sqlalchemy import select

from agent_console.whatsapp.models import Message
from hotline import db
from hotline.models import Case
from tests.whatsapp import webhooks as wh
from tests.whatsapp.conftest import drain, post, say
from tests.whatsapp.test_complaint import finish_complaint, start_complaint


def reply_statuses() -> list[tuple[str, int]]:
    with db.session_scope() as session:
        return [(m.status, m.attempts) for m in session.scalars(
            select(Message).where(Message.direction == "out").order_by(Message.id))]


def test_failed_send_is_retried_and_then_succeeds(client, graph_api):
    graph_api.fail_sends(500, 503)
    assert post(client, wh.text("السلام عليكم")).status_code == 200
    drain(until=lambda: reply_statuses() == [("sent", 3)])
    assert graph_api.texts_to(wh.CITIZEN)[0].startswith("أهلا بك")
    assert len(graph_api.sent) == 1


def test_the_case_survives_a_cloud_api_outage(client, graph_api):
    start_complaint(client, graph_api)
    graph_api.fail_sends(*[500] * 40)  # every reply of the rest of the complaint fails for good
    finish_complaint(client)
    drain(until=lambda: all(status != "queued" for status, _ in reply_statuses()))
    with db.session_scope() as session:
        case = session.scalars(select(Case)).one()
        assert not case.incomplete and case.complainant.name == "أحمد محمد علي"
        last = session.scalars(select(Message).where(Message.direction == "out")
                               .order_by(Message.id.desc())).first()
        assert last.status == "failed" and case.number in last.body and "500" in last.error


def test_a_refused_send_is_not_retried(client, graph_api):
    graph_api.fail_sends(400)
    say(client, wh.text("السلام عليكم"))
    assert reply_statuses() == [("failed", 1)]
    assert graph_api.sent == []
