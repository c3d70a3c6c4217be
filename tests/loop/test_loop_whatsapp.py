"""The satisfaction survey on WhatsApp, through the console's webhook and the fake Graph API:
reply buttons within Meta's 24-hour window, the approved template with quick-reply buttons after
it; "not solved" reopens and the citizen's next words join the case; "solved" closes it."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from agent_console.whatsapp.models import Conversation
from hotline import cases, db, loop_sweep, settings, users
from hotline.models import Case
from tests.loop import world
from tests.whatsapp import webhooks as wh
from tests.whatsapp.conftest import app, client, drain, graph_api, say  # noqa: F401  fixtures
from tests.whatsapp.test_complaint import NATIONAL_ID, finish_complaint, only_case, start_complaint

NAME = "أحمد محمد علي"


def quick_reply(payload: str, text: str, sender: str = wh.CITIZEN) -> dict:
    """A press of a template's quick-reply button, as the webhook delivers it (type "button")."""
    return wh._message("button", {"payload": payload, "text": text}, sender, None,
                       context={"from": wh.DISPLAY_NUMBER, "id": "wamid.TEMPLATE"})




def ask() -> None:
    loop_sweep.sweep()
    drain()


def answered_on_whatsapp(client, graph_api) -> int:
    """A complaint filed on WhatsApp, routed to the local unit, answered, and the survey asked."""
    settings.install(settings.get().replace(survey_delay_minutes=0, survey_quiet_hours=""))
    with db.session_scope() as session:
        users.create_user(session, username="unit_officer", password=world.PASSWORD,
                          role="entity_officer", entity_code=world.UNIT)
    start_complaint(client, graph_api)
    finish_complaint(client)
    case_id = only_case().id
    with db.session_scope() as session:
        cases.route(session, session.get(Case, case_id), world.entity(session, world.UNIT), actor="agent")
    world.answer(case_id)
    ask()
    return case_id


def test_whatsapp_survey_reopens_with_the_citizens_words_then_closes(app, client, graph_api):
    case_id = answered_on_whatsapp(client, graph_api)
    question = graph_api.sent[-1]
    survey_id = world.latest_survey(case_id).id
    assert question["type"] == "interactive" and question["to"] == wh.CITIZEN
    buttons = question["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == [f"survey:{survey_id}:1", f"survey:{survey_id}:2"]
    say(client, wh.button_reply(f"survey:{survey_id}:2", "لا، لم تُحل"))
    assert world.history(case_id)[-1][:5] == ("citizen", "answered", "routed", "reopened", world.UNIT)
    assert "أعدنا فتح الشكوى" in graph_api.texts_to(wh.CITIZEN)[-1]
    say(client, wh.text("القمامة ما زالت أمام المدرسة"))
    assert world.history(case_id)[-1][3:] == ("citizen_words", None, "القمامة ما زالت أمام المدرسة")
    # Answered again, two days after the citizen last wrote: only a template may be sent now.
    world.answer(case_id, text="رفعنا القمامة وغسلنا الشارع")
    with db.session_scope() as session:
        conversation = session.scalars(select(Conversation)).one()
        conversation.last_inbound_at -= timedelta(days=2)
    ask()
    template = graph_api.sent[-1]
    second = world.latest_survey(case_id).id
    assert template["type"] == "template" and template["template"]["name"] == "complaint_survey"
    payloads = [c["parameters"][0]["payload"] for c in template["template"]["components"] if c["type"] == "button"]
    assert payloads == [f"survey:{second}:1", f"survey:{second}:2"]
    say(client, quick_reply(f"survey:{second}:1", "نعم، حُلّت"))
    assert world.case_row(case_id).status.value == "closed"
    assert world.history(case_id)[-1][:4] == ("citizen", "answered", "closed", "citizen_solved")
    assert "أغلقنا الشكوى" in graph_api.texts_to(wh.CITIZEN)[-1]
    # What the survey wrote to the citizen names the complaint only.
    number = world.case_row(case_id).number
    asked = [t for t in graph_api.texts_to(wh.CITIZEN) if number in t][-5:]
    assert asked and all(NAME not in t and NATIONAL_ID not in t and "01012345678" not in t for t in asked)
    actions = [a for a, _actor, _d in world.audits(case_id)]
    assert actions.count("survey.answered") == 2 and "case.reopened" in actions


def test_a_button_pressed_from_another_phone_decides_nothing(app, client, graph_api):
    case_id = answered_on_whatsapp(client, graph_api)
    survey_id = world.latest_survey(case_id).id
    say(client, wh.button_reply(f"survey:{survey_id}:1", "نعم", sender="201099999999"))
    assert world.case_row(case_id).status.value == "answered"
    assert world.latest_survey(case_id).state == "asking"
