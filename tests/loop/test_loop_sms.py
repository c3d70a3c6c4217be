"""The satisfaction survey by SMS, end to end: the entity answers, the question goes out through
the loopback Twilio-compatible gateway, the citizen replies to the console's webhook (signed as
Twilio signs it), and the reply closes or reopens the case, all in the history and the audit."""
from __future__ import annotations

from agent_console.sms.routes import signature
from hotline import loop_sweep
from tests.loop import world

URL = "http://localhost/sms/inbound"


def reply(client, body: str, sender: str = "+201012345678", token: str = "sms-token"):
    """The gateway posting a citizen's SMS to the webhook, as Twilio does."""
    fields = {"MessageSid": "SM" + "1" * 32, "AccountSid": "AC123", "From": sender, "To": "16528",
              "Body": body, "NumMedia": "0"}
    return client.post("/sms/inbound", data=fields,
                       headers={"X-Twilio-Signature": signature(token, URL, fields)})




def ask(quick_worker) -> None:
    loop_sweep.sweep()
    quick_worker.join()


def test_not_solved_by_sms_reopens_then_solved_closes(app, officers, sms_gateway, quick_worker):
    case_id = world.routed_case(channel="open311")  # open311=sms in survey_channels
    world.answer(case_id)
    [survey] = world.surveys(case_id)
    assert (survey.channel, survey.state, survey.entity_id is not None) == ("sms", "due", True)
    ask(quick_worker)
    [question] = [r for r in sms_gateway.requests if "هل حل الرد" in r["body"]["Body"]]
    number = world.case_row(case_id).number
    assert question["body"]["To"] == "+201012345678" and number in question["body"]["Body"]
    assert world.surveys(case_id)[0].state == "asking"
    client = app.test_client()
    answered = reply(client, "٢ القمامة لسه موجودة قدام البيت")
    assert answered.status_code == 200 and "<Message>" in answered.get_data(as_text=True)
    assert number in answered.get_data(as_text=True)
    assert world.case_row(case_id).status.value == "routed"
    rows = world.history(case_id)
    assert rows[-1][:5] == ("citizen", "answered", "routed", "reopened", world.UNIT)
    assert rows[-1][5] == "القمامة لسه موجودة قدام البيت"
    # Answered again: asked again; this time solved, and the case closes on the citizen's word.
    world.answer(case_id, text="تم رفع القمامة نهائيا.")
    ask(quick_worker)
    assert reply(client, "1 شكرا").status_code == 200
    assert world.case_row(case_id).status.value == "closed"
    assert world.history(case_id)[-1][:4] == ("citizen", "answered", "closed", "citizen_solved")
    assert [s.result for s in world.surveys(case_id)] == ["not_solved", "solved"]
    actions = [a for a, _actor, _detail in world.audits(case_id)]
    for action in ("survey.scheduled", "survey.asked", "survey.answered", "case.reopened", "case.closed"):
        assert action in actions, (action, actions)


def test_a_reply_needs_the_gateways_signature_and_the_phone_asked(app, officers, sms_gateway, quick_worker):
    case_id = world.routed_case(channel="open311")
    world.answer(case_id)
    ask(quick_worker)
    client = app.test_client()
    assert reply(client, "2 forged", token="wrong-token").status_code == 401
    other = reply(client, "2 not mine", sender="+201099999999")
    assert other.status_code == 200 and "We are not asking you" in other.get_data(as_text=True)
    unclear = reply(client, "مرحبا")
    assert "لم نفهم" in unclear.get_data(as_text=True)
    assert world.case_row(case_id).status.value == "answered"


def test_the_question_names_only_the_complaint_number(app, officers, sms_gateway, quick_worker):
    case_id = world.routed_case(channel="open311", consent=True)
    world.answer(case_id, text=f"اتصلنا بالسيدة {world.NAME} على {world.PHONE}")
    ask(quick_worker)
    question = next(r for r in sms_gateway.requests if "هل حل الرد" in r["body"]["Body"])["body"]["Body"]
    for identity in (world.NAME, world.NID, world.PHONE, world.PHONE[1:]):
        assert identity not in question
    answered = reply(app.test_client(), "1").get_data(as_text=True)
    for identity in (world.NAME, world.NID, world.PHONE):
        assert identity not in answered
