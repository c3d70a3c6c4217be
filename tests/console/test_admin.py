"""Admins manage users, entities and routing, and never see case contents."""
from __future__ import annotations

from hotline import db
from hotline.models import RoutingRule, User
from tests.console.conftest import PASSWORD, login, token


def test_create_disable_and_reset_users(app, client_as):
    admin = client_as("admin")
    created = admin.post("/admin/users", data={
        "csrf_token": token(admin, "/admin/users"), "username": "agent2", "display_name": "Agent 2",
        "role": "agent", "entity": "", "extension": "102", "password": "another long password"})
    assert created.status_code == 302
    other = app.test_client()
    assert login(other, "agent2", "another long password").status_code == 302
    with db.session_scope() as session:
        user_id = session.query(User).filter_by(username="agent2").one().id
    admin.post(f"/admin/users/{user_id}", data={
        "csrf_token": token(admin, "/admin/users"), "role": "agent", "entity": "", "extension": "102",
        "password": "a brand new password"})  # not active: disabled, and the password reset
    assert other.get("/calls").status_code == 302  # the old session is gone
    assert login(app.test_client(), "agent2", "a brand new password").status_code == 401
    assert admin.get("/cases").status_code == 403 and admin.get("/review").status_code == 403


def test_routing_rule_change(app, client_as):
    admin = client_as("admin")
    with db.session_scope() as session:
        rule = session.query(RoutingRule).filter_by(to_governorate=False).first()
        rule_id, entity_id = rule.id, rule.entity_id
    admin.post(f"/admin/routing/{rule_id}", data={"csrf_token": token(admin, "/admin/routing"),
                                                   "to_governorate": "y", "entity": ""})
    with db.session_scope() as session:
        rule = session.get(RoutingRule, rule_id)
        assert rule.to_governorate and rule.entity_id is None
    assert entity_id is not None
    assert PASSWORD
