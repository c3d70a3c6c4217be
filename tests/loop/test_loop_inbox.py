"""What entities see of closing the loop, in the console: their overdue list first, the
reminder and the escalation marked in the inbox of the entity that receives the case, the
citizen's words masked as any text is, and no way to close an answered case themselves."""
from __future__ import annotations

import re
from datetime import timedelta

from hotline import db, loop_sweep, satisfaction
from hotline.models import Case, utcnow
from tests.console.conftest import token
from tests.loop import world


def _overdue(case_id: int, days: float) -> None:
    with db.session_scope() as session:
        session.get(Case, case_id).due_at = utcnow() - timedelta(days=days)


def _rows(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr class="[^"]*" data-case="(\d+)"', page)]


def test_overdue_first_then_reminded_then_escalated_to_the_inbox_above(app, client_as, officers):
    late, later, fresh = world.routed_case(), world.routed_case(), world.routed_case()
    _overdue(later, 1)
    _overdue(late, 3)
    unit = client_as("unit_officer")
    assert _rows(unit.get("/entity/inbox").get_data(as_text=True))[:3] == [late, later, fresh]
    loop_sweep.ladder(utcnow())
    page = unit.get("/entity/inbox").get_data(as_text=True)
    row = re.search(rf'data-case="{late}".*?</tr>', page, re.S).group(0)
    assert 'data-mark="reminded"' in row and "sla-breach" in page
    loop_sweep.ladder(utcnow() + timedelta(days=3))  # past every step's delay: both go up
    governorate = client_as("governorate_officer").get("/entity/inbox").get_data(as_text=True)
    assert {late, later} <= set(_rows(governorate))  # each with a new due date at the governorate
    row = re.search(rf'data-case="{late}".*?</tr>', governorate, re.S).group(0)
    assert 'data-mark="escalated"' in row
    assert unit.get(f"/entity/cases/{late}").status_code == 404  # no longer the unit's case
    case_page = client_as("governorate_officer").get(f"/entity/cases/{late}").get_data(as_text=True)
    assert 'data-event="reminded"' in case_page and 'data-event="escalated"' in case_page


def test_the_entity_cannot_close_an_answered_case_and_reads_the_citizens_words_masked(app, client_as, officers):
    case_id = world.routed_case(consent=False)
    world.answer(case_id)
    unit = client_as("unit_officer")
    page = unit.post("/account", data={"csrf_token": token(unit, "/account")}).get_data(as_text=True)
    api_token = re.search(r'<pre id="api-token">([^<]+)</pre>', page).group(1)
    number = world.case_row(case_id).number
    refused = app.test_client().post(f"/api/v1/cases/{number}/status", json={"status": "closed"},
                                     headers={"Authorization": f"Bearer {api_token}"})
    assert refused.status_code == 403
    assert unit.post(f"/entity/cases/{case_id}/close",
                     data={"csrf_token": token(unit, "/entity/inbox")}).status_code == 404
    assert world.case_row(case_id).status.value == "answered"
    with db.session_scope() as session:
        satisfaction.answer(session, session.get(Case, case_id), False, via="sms",
                            words=f"لم تحل، اتصلوا بي على {world.PHONE}")
    shown = unit.get(f"/entity/cases/{case_id}").get_data(as_text=True)
    assert 'data-event="reopened"' in shown and "لم تحل" in shown
    assert world.PHONE not in shown and world.NAME not in shown and world.NID not in shown
