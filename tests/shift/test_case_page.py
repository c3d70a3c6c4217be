"""The agent's screen: Save never routes, the suggestion follows the form, the call's number is
filled in, the caller's earlier complaints and the entity's answer are there, the disposition
survives a Save, the IVR path reads in words, and the pages isolate numbers in one digit system."""
from __future__ import annotations

import re

from sqlalchemy import select

from agent_console.models import AgentCall, AgentState
from hotline import db
from hotline.models import Case, Entity
from tests.console.conftest import token
from tests.shift import world
from tests.support.pages import seen, text

FORM = {"governorate": "alexandria", "category": "other", "description": "مشكلة في إنارة الشارع ليلًا"}


def _post(client, case_id, **fields):
    return client.post(f"/cases/{case_id}", data={"csrf_token": token(client, f"/cases/{case_id}"),
                                                  **FORM, **fields})


def test_save_never_routes_only_the_route_button_does(app, client_as):
    made = world.build()
    agent, case_id = client_as("agent"), made.ids["on_call"]
    with db.session_scope() as session:
        water = session.scalar(select(Entity.id).where(Entity.code == "hc-water"))
    _post(agent, case_id, entity_id=str(water))  # an entity chosen, then plain Save
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        assert case.status.value == "received" and case.entity_id is None
    assert "اختر الجهة" in text(_post(agent, case_id, entity_id="", route="1").get_data(as_text=True))
    _post(agent, case_id, entity_id=str(water), route="1")
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        assert case.status.value == "routed" and case.entity_id == water


def test_the_suggestion_follows_category_and_governorate(app, client_as):
    agent = client_as("agent")
    answer = agent.get("/cases/routing?category=garbage&governorate=cairo").get_json()
    assert answer["certain"] and answer["name"] == "هيئة النظافة وتجميل القاهرة"
    answer = agent.get("/cases/routing?category=other&governorate=cairo").get_json()
    assert not answer["certain"] and answer["name"] == "وزارة التنمية المحلية"
    assert client_as("reviewer").get("/cases/routing?category=garbage").status_code == 403


def test_the_call_page_has_what_the_next_call_needs(app, client_as):
    made = world.build()
    agent = client_as("agent")
    html = agent.get(f"/cases/{made.ids['on_call']}").get_data(as_text=True)
    # The caller's number is filled in, and the call timer counts from the take.
    assert re.search(r'id="phone" name="phone"[^>]*value="01098765432"', html)
    assert 'id="call-timer" data-since="' in html
    # This caller's earlier complaints with their status; the entity's answer on its own page.
    earlier = html[html.index('id="earlier"'):]
    for key in ("routed", "answered", "declined", "waiting"):
        assert made.numbers[key] in seen(earlier)
    assert "تم الرد" in text(earlier) and "متأخرة" in text(earlier)
    answered = text(agent.get(f"/cases/{made.ids['answered']}").get_data(as_text=True))
    assert "رد الجهة" in answered and "تم إصلاح الصندوق ورفع القمامة اليوم" in answered
    assert "officer" in answered  # who answered
    # The IVR path in words; no code of the IVR's shows.
    path = text(html[html.index('id="ivr-path"'):html.index("</ol>", html.index('id="ivr-path"'))])
    for words in ("شكوى جديدة", "الإسكندرية", "تخطاه", "سجّل ٤ ثانية", "انتهى بالصمت أو بانتهاء المدة",
                  "أكد الشكوى", "قُرئ رقم الشكوى"):
        assert words in path, path
    for code in ("ok", "timeout", "samples", "skipped", "said"):
        assert code not in path
    # No recording: nothing to wait for; a recording without its transcript: it is awaited.
    assert "في انتظار النص المكتوب" not in text(html)
    assert "في انتظار النص المكتوب" in text(agent.get(f"/cases/{made.ids['waiting']}").get_data(as_text=True))


def test_the_disposition_survives_a_save_and_closes_the_call_honestly(app, client_as):
    made = world.build()
    agent, case_id = client_as("agent"), made.ids["on_call"]
    _post(agent, case_id, disposition="case_routed")
    html = agent.get(f"/cases/{case_id}").get_data(as_text=True)
    assert re.search(r'<option selected value="case_routed">|<option value="case_routed" selected>', html)
    # "Case routed" while it is not: refused, and the agent stays on the call.
    refused = text(_post(agent, case_id, disposition="case_routed", complete="1").get_data(as_text=True))
    assert "أحل الشكوى أولًا" in refused
    with db.session_scope() as session:
        assert session.scalar(select(AgentCall.closed_at).where(AgentCall.case_id == case_id)) is None


def test_a_call_without_a_complaint_leaves_no_case_in_the_queue(app, client_as):
    made = world.build()
    agent, case_id = client_as("agent"), made.ids["on_call"]
    closed = agent.post(f"/cases/{case_id}", data={"csrf_token": token(agent, f"/cases/{case_id}"),
                                                   "disposition": "information_given", "complete": "1"})
    assert closed.status_code == 302 and closed.headers["Location"].endswith("/calls")
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        assert case.status.value == "rejected" and case.history[-1].event == "no_complaint"
        assert session.scalar(select(AgentState.state)) == "available"


def test_numbers_read_one_way_and_keep_their_order(app, client_as):
    made = world.build()
    officer = client_as("officer")
    html = officer.get(f"/entity/cases/{made.ids['routed']}").get_data(as_text=True)
    # The complaint number, the masked phone and the dates: isolated runs in Arabic digits.
    number = made.numbers["routed"].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert f'<bdi dir="ltr">{number}</bdi>' in html
    assert '<bdi dir="ltr">٠١٠****٥٤٣٢</bdi>' in html or '<bdi dir="ltr">—</bdi>' not in html
    assert re.search(r'<bdi><time datetime="[^"]+">[٠-٩]+ [^<]+ [٠-٩]{4}، [٠-٩]{2}:[٠-٩]{2}</time></bdi>', html)
    english = client_as("officer")
    english.get("/lang/en")
    assert re.search(r"<time datetime=\"[^\"]+\">\d+ \w+ \d{4}, \d\d:\d\d</time>",
                     english.get(f"/entity/cases/{made.ids['routed']}").get_data(as_text=True))


def test_error_pages_are_in_the_reader_language_with_the_navigation(app, client_as):
    agent = client_as("agent")
    missing = agent.get("/cases/424242")
    page = text(missing.get_data(as_text=True))
    assert missing.status_code == 404 and "هذه الصفحة غير موجودة" in page and "قائمة العمل" in page
    assert 'data-status="404"' in missing.get_data(as_text=True) and "٤٠٤" in page
    forbidden = client_as("officer").get("/wallboard")
    assert forbidden.status_code == 403 and "دورك لا يسمح بهذه الصفحة" in text(forbidden.get_data(as_text=True))
    agent.get("/lang/en")
    assert "This page does not exist" in text(agent.get("/nowhere").get_data(as_text=True))
    assert app.test_client().get("/favicon.ico").status_code == 301
    icon = app.test_client().get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert 'rel="icon"' in agent.get("/calls").get_data(as_text=True)


def test_a_server_error_is_a_page_in_the_reader_language(app, client_as):
    def broken():
        raise RuntimeError("a bug")

    broken.__public__ = True
    app.add_url_rule("/broken", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error handler answers
    agent = client_as("agent")
    reply = agent.get("/broken")
    page = text(reply.get_data(as_text=True))
    assert reply.status_code == 500 and "حدث خطأ من جانبنا" in page and "المكالمات الحية" in page
    assert "RuntimeError" not in page and "a bug" not in page
