"""The JSON API: per-user tokens, list/get/update status, scope by entity."""
from __future__ import annotations

import re

from hotline import cases, db
from hotline.models import Entity
from tests.console.conftest import token


def api_token(client) -> str:
    page = client.post("/account", data={"csrf_token": token(client, "/account")})
    return re.search(r'<pre id="api-token">([^<]+)</pre>', page.get_data(as_text=True)).group(1)


def test_tokens_list_get_and_change_status(app, client_as, officer_entity):
    with db.session_scope() as session:
        mine = cases.create_case(session, channel="ivr", actor="t", description="وصف")
        other = cases.create_case(session, channel="ivr", actor="t")
        entity = session.query(Entity).filter_by(code=officer_entity).one()
        cases.route(session, mine, entity, actor="t")
        mine_number, other_number = mine.number, other.number
    api = app.test_client()
    assert api.get("/api/v1/cases").status_code == 401
    assert api.get("/api/v1/cases", headers={"Authorization": "Bearer nope"}).status_code == 401

    supervisor = {"Authorization": f"Bearer {api_token(client_as('supervisor'))}"}
    listed = api.get("/api/v1/cases", headers=supervisor).get_json()
    assert {c["number"] for c in listed["cases"]} == {mine_number, other_number}
    one = api.get(f"/api/v1/cases/{mine_number}", headers=supervisor).get_json()
    assert one["status"] == "routed" and one["history"][-1]["to"] == "routed"

    officer = {"Authorization": f"Bearer {api_token(client_as('officer'))}"}
    assert [c["number"] for c in api.get("/api/v1/cases", headers=officer).get_json()["cases"]] == [mine_number]
    assert api.get(f"/api/v1/cases/{other_number}", headers=officer).status_code == 404
    bad = api.post(f"/api/v1/cases/{mine_number}/status", headers=officer, json={"status": "nonsense"})
    assert bad.status_code == 422 and "status must be one of" in bad.get_json()["error"]
    wrong = api.post(f"/api/v1/cases/{mine_number}/status", headers=officer, json={"status": "closed"})
    assert wrong.status_code == 403 and "closing belongs to the call centre" in wrong.get_json()["error"]
    done = api.post(f"/api/v1/cases/{mine_number}/status", headers=officer, json={"status": "answered", "note": "تم"})
    assert done.status_code == 200 and done.get_json()["status"] == "answered"
    reviewer_has_no_api = client_as("reviewer").get("/account").get_data(as_text=True)
    assert "api-token" not in reviewer_has_no_api
