"""The entity inbox: scope (own entity and units only), masking by consent, the four actions."""
from __future__ import annotations

import re

from sqlalchemy import select

from entities_world import NID, PHONE, NAME, csrf_of
from hotline import db
from hotline.models import AuditEntry, Case, CaseHistory, Response
from tests.support.pages import western


def _page(client, path):
    """Status and page, digits read 0-9 (Arabic pages write them ٠-٩)."""
    reply = client.get(path)
    return reply.status_code, western(reply.get_data(as_text=True))


def _listed(client, path) -> str:
    """The inbox table alone (the filter form echoes what was searched for)."""
    html = western(client.get(path).get_data(as_text=True))
    return html[html.index('id="inbox"'):html.index("</table>")]


def test_officer_lists_own_entity_and_units_only(client_as, world):
    html = _listed(client_as("officer_a"), "/entity/inbox")
    for key in ("a_consent", "a_masked", "a_unit"):  # a_unit: routed to a unit below Cairo
        assert world.numbers[key] in html
    assert world.numbers["b_consent"] not in html
    unit_html = _listed(client_as("unit_officer"), "/entity/inbox")
    assert world.numbers["a_unit"] in unit_html and world.numbers["a_consent"] not in unit_html


def test_officer_cannot_open_search_or_act_on_another_entitys_case(client_as, world):
    client = client_as("officer_a")
    b = world.ids["b_consent"]
    assert client.get(f"/entity/cases/{b}").status_code == 404
    assert world.numbers["b_consent"] not in _listed(client, "/entity/inbox?status=all&q=الهرم")
    assert world.numbers["b_consent"] not in _listed(
        client, f"/entity/inbox?status=all&number={world.numbers['b_consent']}")
    token = csrf_of(client.get("/entity/inbox").get_data(as_text=True))
    reply = client.post(f"/entity/cases/{b}/answer", data={"text": "ليس لكم", "csrf_token": token})
    assert reply.status_code == 404
    with db.session_scope() as session:
        assert session.get(Case, b).status.value == "routed"


def test_search_finds_own_case(client_as, world):
    html = _listed(client_as("officer_a"), "/entity/inbox?status=all&q=التحرير")
    assert world.numbers["a_consent"] in html and world.numbers["a_masked"] not in html


def test_consent_shows_identity_and_audits_it(client_as, world):
    _, html = _page(client_as("officer_a"), f"/entity/cases/{world.ids['a_consent']}")
    assert PHONE in html and NID in html and NAME in html
    with db.session_scope() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "identity.viewed",
                                                        AuditEntry.case_id == world.ids["a_consent"]))
        assert entry is not None and entry.actor == "officer_a"


def test_no_consent_masks_identity_and_is_not_audited(client_as, world):
    _, html = _page(client_as("officer_a"), f"/entity/cases/{world.ids['a_masked']}")
    assert PHONE not in html and NID not in html and NAME not in html
    assert "010****5678" in html and "2*********4567" in html
    with db.session_scope() as session:
        assert session.scalar(select(AuditEntry).where(
            AuditEntry.action == "identity.viewed", AuditEntry.case_id == world.ids["a_masked"])) is None


def _act(client, case_id, action, text=""):
    token = csrf_of(client.get(f"/entity/cases/{case_id}").get_data(as_text=True))
    return client.post(f"/entity/cases/{case_id}/{action}", data={"text": text, "csrf_token": token})


def _history(case_id):
    with db.session_scope() as session:
        return [(h.to_status, h.note) for h in session.scalars(
            select(CaseHistory).where(CaseHistory.case_id == case_id).order_by(CaseHistory.id))]


def test_acknowledge_then_answer(client_as, world):
    client, case_id = client_as("officer_a"), world.ids["a_consent"]
    assert _act(client, case_id, "acknowledge").status_code == 303
    assert _act(client, case_id, "answer", "تم رفع القمامة اليوم").status_code == 303
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        assert case.status.value == "answered"
        assert [r.body for r in session.scalars(select(Response).where(Response.case_id == case_id))] == [
            "تم رفع القمامة اليوم"]
    assert [s for s, _ in _history(case_id)][-2:] == ["under_review", "answered"]
    _, html = _page(client, f"/entity/cases/{case_id}")
    assert 'id="notifications"' in html and "delivery-" in html


def test_ask_for_more_information_and_decline_go_back_with_notes(client_as, world):
    client = client_as("officer_a")
    _act(client, world.ids["a_consent"], "more-info", "نحتاج العنوان بالتفصيل")
    _act(client, world.ids["a_masked"], "decline", "الشكوى تخص محافظة الجيزة")
    first, second = _history(world.ids["a_consent"])[-1], _history(world.ids["a_masked"])[-1]
    assert first[0] == "received" and "نحتاج العنوان بالتفصيل" in first[1]
    assert second[0] == "received" and "محافظة الجيزة" in second[1]


def test_action_needs_text_and_csrf(client_as, world):
    client, case_id = client_as("officer_a"), world.ids["a_consent"]
    reply = _act(client, case_id, "answer", "")
    assert reply.status_code == 303
    reply = client.post(f"/entity/cases/{case_id}/answer", data={"text": "بدون رمز"})
    assert reply.status_code in (303, 400)
    with db.session_scope() as session:
        assert session.get(Case, case_id).status.value == "routed"


def test_overdue_case_is_highlighted(client_as, world):
    from datetime import timedelta

    from hotline.models import utcnow
    with db.session_scope() as session:
        session.get(Case, world.ids["a_masked"]).due_at = utcnow() - timedelta(days=1)
    _, html = _page(client_as("officer_a"), "/entity/inbox")
    row = re.search(rf'<tr class="([^"]*)" data-case="{world.ids["a_masked"]}"', html)
    assert row and "sla-breach" in row.group(1)


def test_other_roles_are_refused(client_as, world):
    assert client_as("admin1").get("/entity/inbox").status_code == 403
