"""Least privilege for call-centre staff (issue 14 point 10) and consent as the citizen's word
(point 2): each test signs in as the role and tries."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hotline import db, reference
from hotline.models import AuditEntry, Case, Complainant, ConsentChange
from tests.security.conftest import NID, PHONE, csrf
from tests.security.test_matrix import exposed


def _page(client, case_id: int) -> set[str]:
    return exposed(client.get(f"/cases/{case_id}").get_data(as_text=True))


def _reveal(client, case_id: int, reason: str):
    return client.post(f"/cases/{case_id}/identity", data={"csrf_token": csrf(client), "reason": reason})


def _entries(action: str, case_id: int) -> list[AuditEntry]:
    with db.session_scope() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action,
                                                             AuditEntry.case_id == case_id)))


def test_an_agent_sees_another_case_only_after_giving_a_reason(client_as, world):
    agent2, case_id = client_as("agent2"), world.ids["masked"]
    assert not _page(agent2, case_id)
    assert _reveal(agent2, case_id, "").status_code == 303  # refused: no reason
    assert not _page(agent2, case_id) and not _entries("identity.revealed", case_id)
    assert _reveal(agent2, case_id, "المواطن اتصل يسأل عن شكواه").status_code == 303
    assert {"nid", "phone", "name"} <= _page(agent2, case_id)
    revealed = _entries("identity.revealed", case_id)
    assert [(e.actor, e.reason) for e in revealed] == [("agent2", "المواطن اتصل يسأل عن شكواه")]
    assert [e.detail["basis"] for e in _entries("identity.viewed", case_id)] == ["revealed"]
    assert not _page(agent2, world.ids["consent"])  # one case, not every case
    assert not _page(client_as("supervisor"), case_id)  # nor anyone else


def test_a_reveal_lapses(client_as, world, monkeypatch):
    from agent_console import gate
    from hotline.models import utcnow

    agent2, case_id = client_as("agent2"), world.ids["masked"]
    _reveal(agent2, case_id, "متابعة مع المواطن")
    later = utcnow() + timedelta(minutes=31)  # identity_reveal_minutes is 30
    monkeypatch.setattr(gate, "utcnow", lambda: later)
    assert not _page(agent2, case_id)


def test_the_agent_on_the_call_stops_seeing_it_when_the_call_is_closed(client_as, world):
    from agent_console import agents

    agent, case_id = client_as("agent"), world.ids["handled"]
    assert {"nid", "phone", "caller"} <= _page(agent, case_id)
    with db.session_scope() as session:
        agents.complete(session, world.users["agent"], case_id, "case_routed")
    assert not _page(agent, case_id)


def _form(client, case_id: int, **fields) -> dict:
    data = {"csrf_token": csrf(client, f"/cases/{case_id}"), "governorate": "cairo",
            "category": reference.categories()[0].code, "description": "وصف جديد للشكوى من الموظف",
            "name": "اسم آخر", "phone": "01099999999", "national_id": "", "district": "", "address": ""}
    data.update(fields)
    return data


def _consent(case_id: int) -> tuple[bool, list[tuple]]:
    with db.session_scope() as session:
        person = session.get(Case, case_id).complainant
        return person.consent, [(c.old, c.new, c.channel, c.actor, c.reason) for c in person.history]


def test_an_agent_not_on_the_call_cannot_set_consent_or_overwrite_what_they_cannot_see(client_as, world):
    agent2, case_id = client_as("agent2"), world.ids["masked"]
    before = _consent(case_id)
    reply = agent2.post(f"/cases/{case_id}", data=_form(agent2, case_id, consent="y"))
    assert reply.status_code == 302
    assert _consent(case_id) == before == (False, [(None, False, "ivr", "ivr", None)])
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        # The form showed masked values: saving kept the real ones.
        assert case.complainant.phone == PHONE and case.complainant.national_id == NID
        assert "0112348" in case.description.replace(" ", "")
    assert not exposed(str(_entries("consent.recorded", case_id)))
    assert agent2.post(f"/cases/{case_id}/consent", data={
        "csrf_token": csrf(agent2), "consent": "yes", "reason": "قالها المواطن بالتليفون"}).status_code == 403


def test_the_citizen_says_it_on_their_call(client_as, world):
    agent, case_id = client_as("agent"), world.ids["handled"]
    assert agent.post(f"/cases/{case_id}", data=_form(agent, case_id, consent="y")).status_code == 302
    consent, history = _consent(case_id)
    assert consent and history[-1][:4] == (False, True, "call", "agent")
    entry = _entries("consent.recorded", case_id)[-1]
    assert entry.actor == "agent" and entry.detail == {"from": False, "to": True, "channel": "call"}


def test_a_supervisor_corrects_consent_only_with_a_reason_and_the_old_value_stays(client_as, world):
    supervisor, case_id = client_as("supervisor"), world.ids["masked"]
    short = supervisor.post(f"/cases/{case_id}/consent",
                            data={"csrf_token": csrf(supervisor), "consent": "yes", "reason": "خطأ"})
    assert short.status_code == 303 and _consent(case_id)[0] is False
    reason = "المواطن وافق في تسجيل المكالمة ٢٦٠٠٠٠١"
    supervisor.post(f"/cases/{case_id}/consent", data={"csrf_token": csrf(supervisor), "consent": "yes",
                                                        "reason": reason})
    consent, history = _consent(case_id)
    assert consent and history == [(None, False, "ivr", "ivr", None),
                                    (False, True, "correction", "supervisor", reason)]
    entry = _entries("consent.corrected", case_id)[-1]
    assert entry.reason == reason and entry.detail == {"from": False, "to": True}
    for role in ("officer", "reviewer", "admin"):
        client = client_as(role)
        assert client.post(f"/cases/{case_id}/consent", data={
            "csrf_token": csrf(client), "consent": "no", "reason": "تصحيح غير مسموح"}).status_code == 403


def test_every_channel_leaves_history(db_url):
    with db.session_scope() as session:
        person = Complainant(name="x")
        person.give_consent(True, "ivr")
        person.give_consent(False, "whatsapp")
        session.add(person)
    with db.session_scope() as session:
        rows = session.scalars(select(ConsentChange).order_by(ConsentChange.id)).all()
        assert [(r.old, r.new, r.channel) for r in rows] == [(None, True, "ivr"), (True, False, "whatsapp")]


def test_entity_officers_cannot_close_or_reject(app, client_as, world):
    from tests.security.test_matrix import api_get

    officer = client_as("officer")
    page = officer.post("/account", data={"csrf_token": csrf(officer)}).get_data(as_text=True)
    import re

    token = re.search(r'<pre id="api-token">([^<]+)</pre>', page).group(1)
    api, number = app.test_client(), world.numbers["consent"]
    for status in ("closed", "rejected", "duplicate"):
        reply = api.post(f"/api/v1/cases/{number}/status", json={"status": status},
                         headers={"Authorization": f"Bearer {token}"})
        assert reply.status_code == 403 and "call centre" in reply.get_json()["error"]
    assert officer.post(f"/entity/cases/{world.ids['consent']}/close",
                        data={"csrf_token": csrf(officer)}).status_code == 404
    with db.session_scope() as session:
        assert session.get(Case, world.ids["consent"]).status.value == "routed"
    assert api_get(app, client_as("agent"), number).status_code == 200
