"""Taking a call (screen pop), the case form with Arabic messages, dispositions, routing, search."""
from __future__ import annotations

from sqlalchemy import select

from agent_console.models import AgentCall, AgentState
from hotline import cases, db, reference
from hotline.models import Case, CaseHistory
from tests.console.conftest import make_call, token
from tests.support.pages import seen

NATIONAL_ID = "29001011234567"


def national_id() -> str:
    code = reference.governorates()[0].nid_code
    return f"2900101{code}12345"


def take(client, call_id: int):
    return client.post("/calls/take", data={"call_id": call_id, "csrf_token": token(client)},
                       headers={"Accept": "application/json"})


def form(client, case_id: int, **fields):
    data = {"csrf_token": token(client, f"/cases/{case_id}"), "name": "منى أحمد",
            "phone": "01012345678", "national_id": national_id(), "consent": "y",
            "governorate": reference.governorates()[0].slug, "district": "مدينة نصر",
            "address": "بجوار المسجد", "category": reference.categories()[0].code,
            "description": "انقطاع المياه عن الشارع منذ ثلاثة أيام", "entity_id": "", "note": "",
            "disposition": ""}
    data.update(fields)
    return client.post(f"/cases/{case_id}", data=data)


def test_take_pops_the_case_and_disposition_frees_the_agent(app, client_as):
    call_id = make_call("2.1", outcome="queued", steps=("welcome", "main_menu"))
    agent = client_as("agent")
    answer = take(agent, call_id).get_json()
    case_id = answer["case_id"]
    page = seen(agent.get(answer["url"]).get_data(as_text=True))
    # Caller number and IVR path, its steps named in Arabic.
    assert "01012345678" in page and "القائمة الرئيسية" in page and "main_menu" not in page
    assert take(client_as("supervisor"), call_id).status_code == 403  # supervisors take no calls

    # Arabic validation messages; nothing is saved.
    bad = form(agent, case_id, national_id="123", phone="999", description="قصير", category="")
    html = bad.get_data(as_text=True)
    for message in ("الرقم القومي ١٤ رقمًا", "أدخل رقم هاتف مصريًا", "يجب أن يكون الوصف", "اختر نوع الشكوى"):
        assert message in html
    # Completing needs a disposition, and so does becoming available.
    html = form(agent, case_id, complete="1").get_data(as_text=True)
    assert "اختر نتيجة المكالمة" in html
    agent.post("/agent/state", data={"state": "available", "csrf_token": token(agent)})
    with db.session_scope() as session:
        assert session.scalar(select(AgentState.state)) == "on_call"

    with db.session_scope() as session:
        suggested = cases.suggest_entity(session, reference.categories()[0].code,
                                         reference.governorates()[0].slug)
        suggested_id = suggested.id
    done = form(agent, case_id, complete="1", route="1", disposition="case_routed", entity_id=str(suggested_id))
    assert done.status_code == 302
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        assert case.status.value == "routed" and case.entity_id == suggested_id
        assert case.complainant.national_id == national_id() and case.complainant.consent
        row = session.scalar(select(AgentCall).where(AgentCall.case_id == case_id))
        assert row.disposition == "case_routed" and row.closed_at is not None
        state = session.scalar(select(AgentState).join(AgentCall, AgentCall.user_id == AgentState.user_id))
        assert state.state == "available"


def test_rerouting_keeps_history(app, client_as):
    call_id = make_call("2.2", outcome="queued")
    agent = client_as("agent")
    case_id = take(agent, call_id).get_json()["case_id"]
    with db.session_scope() as session:
        first, second = [e.id for e in reference_entities(session)[:2]]
    form(agent, case_id, entity_id=str(first), route="1")
    form(agent, case_id, entity_id=str(second), note="الجهة الصحيحة", route="1")
    with db.session_scope() as session:
        hops = [(h.from_entity_id, h.to_entity_id) for h in session.scalars(
            select(CaseHistory).where(CaseHistory.case_id == case_id, CaseHistory.to_entity_id.is_not(None)))]
    assert hops == [(None, first), (first, second)]


def reference_entities(session):
    from hotline.models import Entity

    return session.scalars(select(Entity).order_by(Entity.id)).all()


def test_search_by_normalised_text_number_and_national_id(app, client_as):
    call_id = make_call("2.3", outcome="queued")
    agent = client_as("agent")
    case_id = take(agent, call_id).get_json()["case_id"]
    form(agent, case_id, description="مشكلة في إنارة الطريق أمام المدرسة")
    with db.session_scope() as session:
        other = cases.create_case(session, channel="whatsapp", actor="t", description="القمامة في الشارع")
        number, other_number = session.get(Case, case_id).number, other.number
    supervisor = client_as("supervisor")

    def found(**query) -> bool:
        return number in seen(supervisor.get("/cases", query_string=query).get_data(as_text=True))

    assert found(q="اناره الطريق")  # hamza and ta marbuta folded, as hotline.arabic.normalise does
    assert not found(q="القمامة")
    assert other_number in seen(supervisor.get("/cases", query_string={"q": "القمامه"}).get_data(as_text=True))
    assert found(number=number) and not found(number=other_number)

    def looked_up(**body) -> bool:  # identity look-ups are a POST (issue 14)
        body["csrf_token"] = token(supervisor, "/cases/find")
        return number in seen(supervisor.post("/cases/find", data=body).get_data(as_text=True))

    assert looked_up(national_id=national_id()) and not looked_up(national_id="29001011234568")
    assert looked_up(phone="01012345678")
    assert supervisor.get("/cases", query_string={"national_id": national_id()}).status_code == 400
    assert found(status="received", category=reference.categories()[0].code)
    assert not found(status="closed")
    assert not found(sla_breached="y")
