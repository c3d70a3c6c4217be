"""Every complaint is worked: routing by the rules only when certain, due dates on every case, an
honest SLA report, and the back-office work queue agents take complaints from."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from agent_console import workqueue
from agent_console.models import WorkClaim
from agent_console.reports import figures
from hotline import cases, db, reference
from hotline.models import Case, CaseHistory, Entity, User, utcnow
from tests.console.conftest import token
from tests.shift import world
from tests.support.pages import seen


def _case(session, **fields) -> Case:
    return cases.create_case(session, channel="ivr", actor="ivr", **fields)


def test_certain_routing_routes_and_says_so_the_rest_waits(app):
    with db.session_scope() as session:
        garbage = _case(session, category="garbage", governorate="minya")
        other = _case(session, category="other", governorate="luxor")           # only the catch-all
        unknown = _case(session, category="housing_violations")                 # no governorate
        unfinished = _case(session, category="garbage", governorate="cairo", incomplete=True)
        assert cases.route_if_certain(session, garbage)
        assert not any(cases.route_if_certain(session, c) for c in (other, unknown, unfinished))
        assert garbage.entity.code == "gov-minya" and garbage.status.value == "routed"
        assert [c.status.value for c in (other, unknown, unfinished)] == ["received"] * 3
        last = session.scalars(select(CaseHistory).where(CaseHistory.case_id == garbage.id)
                               .order_by(CaseHistory.id)).all()[-1]
        assert (last.event, last.actor, last.to_status) == ("auto_routed", "routing", "routed")
        # A disabled entity is passed over: Cairo's garbage then goes by the next rule.
        session.scalar(select(Entity).where(Entity.code == "cairo-cleaning")).active = False
        found = cases.routing(session, "garbage", "cairo")
        assert found.entity.code == "gov-cairo" and found.certain


def test_every_case_gets_a_due_date_from_its_category(app, client_as):
    with db.session_scope() as session:
        blank = _case(session)  # an agent's case before the form is filled
        health = _case(session, category="health", governorate="giza")
        assert blank.due_at - blank.created_at == timedelta(days=3)   # sla_default_days
        assert health.due_at - health.created_at == timedelta(days=reference.category("health").sla_days)
        blank_id = blank.id
    agent = client_as("agent")
    agent.post(f"/cases/{blank_id}", data={
        "csrf_token": token(agent, f"/cases/{blank_id}"), "governorate": "cairo", "category": "roads_traffic",
        "description": "حفرة كبيرة في منتصف الطريق"})
    with db.session_scope() as session:
        case = session.get(Case, blank_id)
        assert case.due_at - case.created_at == timedelta(days=reference.category("roads_traffic").sla_days)


def test_sla_report_gives_no_figure_before_anything_is_answered_or_due(app, client_as):
    with db.session_scope() as session:
        _case(session, category="garbage", governorate="cairo")
    supervisor = client_as("supervisor")
    html = supervisor.get("/reports").get_data(as_text=True)
    assert 'id="sla-percent" data-value=""' in html and 'id="sla-none"' in html and "١٠٠" not in seen(html)
    with db.session_scope() as session:
        late = _case(session, category="garbage", governorate="minya")
        late.due_at = utcnow() - timedelta(hours=1)
        span = figures.period(None, None)
        result = figures.sla(session, session.get(User, 2), span)  # the supervisor sees every case
        assert (result["answered"], result["open_late"], result["compliance_percent"]) == (0, 1, 0)


def test_work_queue_most_urgent_first_one_agent_per_complaint(app):
    made = world.build()
    with db.session_scope() as session:
        agent, supervisor = (session.scalar(select(User).where(User.username == n)) for n in ("agent", "supervisor"))
        queue = [c.id for c in workqueue.waiting(session)]
        # The declined one (overdue) first, then the one the rules could not route; the taken
        # call's case is with its agent, the WhatsApp one still in its dialogue, routed and
        # answered ones are done with.
        assert queue == [made.ids["declined"], made.ids["waiting"]]
        first = workqueue.take_next(session, agent)
        second = workqueue.take_next(session, supervisor)
        assert (first.id, second.id) == (made.ids["declined"], made.ids["waiting"])
        assert workqueue.take_next(session, agent) is None and workqueue.count(session) == 0
        assert not workqueue.claim(session, agent, second)  # held by another
        # A claim left for longer than work_claim_minutes lapses; another agent takes it over.
        session.get(WorkClaim, second.id).claimed_at = utcnow() - timedelta(hours=1)
        assert workqueue.claim(session, agent, second)
        assert session.get(WorkClaim, second.id).user_id == agent.id
        workqueue.release(session, first.id, agent.id)
        assert [c.id for c in workqueue.waiting(session)] == [made.ids["declined"]]


def test_taking_routing_and_the_claim_from_the_console(app, client_as):
    made = world.build()
    agent = client_as("agent")
    opened = agent.post("/work/next", data={"csrf_token": token(agent, "/work")})
    assert opened.headers["Location"].endswith(f"/cases/{made.ids['declined']}")
    page = seen(agent.get(f"/cases/{made.ids['declined']}").get_data(as_text=True))
    assert "أخذها من قائمة العمل" in page and "اعتذرت الجهة" in page and "الشكوى تخص حي آخر" in page
    other = client_as("supervisor")
    refused = other.post(f"/work/{made.ids['declined']}/take", data={"csrf_token": token(other, "/work")},
                         follow_redirects=True)
    assert "يعمل موظف آخر على هذه الشكوى" in refused.get_data(as_text=True)
    with db.session_scope() as session:
        health = session.scalar(select(Entity.id).where(Entity.code == "min-health"))
    agent.post(f"/cases/{made.ids['declined']}", data={
        "csrf_token": token(agent, f"/cases/{made.ids['declined']}"), "governorate": "cairo",
        "category": "garbage", "description": "حرق قمامة في الشارع", "entity_id": str(health), "route": "1"})
    with db.session_scope() as session:
        case = session.get(Case, made.ids["declined"])
        assert case.status.value == "routed" and case.entity_id == health
        assert session.get(WorkClaim, case.id) is None  # done with: nobody's work any more
    assert agent.get("/work.json").get_json() == {"waiting": 1}
