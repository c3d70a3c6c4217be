"""The sweeper closes conversations a citizen left half-way, without waiting for them to write."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from agent_console.whatsapp import sweeper
from agent_console.whatsapp.models import Conversation
from hotline import db
from hotline.models import CaseStatus, utcnow
from tests.whatsapp import webhooks as wh
from tests.whatsapp.conftest import drain, say
from tests.whatsapp.test_complaint import only_case, start_complaint

OTHER = "201099999999"


def _conversation(phone_sender: str) -> Conversation:
    with db.session_scope() as session:
        return next(c for c in session.scalars(select(Conversation)) if c.phone.endswith(phone_sender[-9:]))


def test_a_silent_conversation_is_told_and_closed_once_and_its_case_kept(client, graph_api):
    start_complaint(client, graph_api)
    case = only_case()
    answered = len(graph_api.texts_to(wh.CITIZEN))
    assert sweeper.sweep() == 0  # not silent yet
    later = utcnow() + timedelta(hours=2)
    assert sweeper.sweep(later) == 1
    drain()
    told = graph_api.texts_to(wh.CITIZEN)[answered:]
    assert len(told) == 2 and told[0].startswith("انتهت مهلة المحادثة") and case.number in told[1]
    conversation = _conversation(wh.CITIZEN)
    assert conversation.state is None and conversation.case_id is None
    assert only_case().status == CaseStatus.received and only_case().incomplete
    assert sweeper.sweep(later) == 0  # nothing twice
    drain()
    assert len(graph_api.texts_to(wh.CITIZEN)) == answered + 2
    say(client, wh.text("مرحبا"))  # the citizen comes back: greeted afresh, no second time-out
    assert graph_api.texts_to(wh.CITIZEN)[-1].startswith("أهلا بك")
    assert not any(t.startswith("انتهت مهلة") for t in graph_api.texts_to(wh.CITIZEN)[answered + 2:])


def test_past_whatsapps_reply_window_a_conversation_is_closed_without_a_word(client, graph_api):
    say(client, wh.text("السلام عليكم", sender=OTHER))
    say(client, wh.button_reply("new", "شكوى جديدة", sender=OTHER))
    answered = len(graph_api.texts_to(OTHER))
    assert sweeper.sweep(utcnow() + timedelta(hours=25)) == 1
    drain()
    assert len(graph_api.texts_to(OTHER)) == answered  # Meta would refuse a free-form message
    assert _conversation(OTHER).state is None


def test_a_conversation_still_talking_is_left_alone(client, graph_api):
    say(client, wh.text("السلام عليكم"))
    assert sweeper.sweep(utcnow() + timedelta(minutes=1)) == 0
    assert _conversation(wh.CITIZEN).state is not None
