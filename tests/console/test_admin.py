"""Admins manage users, entities and routing, and never see case contents."""
from __future__ import annotations

import re

from hotline import cases, db
from hotline.models import AuditEntry, Entity, RoutingRule, User
from tests.console.conftest import PASSWORD, login, token
from tests.support.pages import text


def test_create_disable_and_reset_users(app, client_as):
    from hotline import users

    with db.session_scope() as session:  # a second admin, made where the first one was (the CLI)
        users.create_user(session, username="admin2", password=PASSWORD, role="admin")
    admin, second = client_as("admin"), client_as("admin2")
    created = admin.post("/admin/users", data={
        "csrf_token": token(admin, "/admin/users"), "username": "agent2", "display_name": "Agent 2",
        "role": "agent", "entity": "", "extension": "102", "password": "another long password"})
    assert created.status_code == 302
    other = app.test_client()
    assert login(other, "agent2", "another long password").status_code == 401  # not yet approved
    _approve(second)
    assert login(other, "agent2", "another long password").status_code == 302
    with db.session_scope() as session:
        user_id = session.query(User).filter_by(username="agent2").one().id
    admin.post(f"/admin/users/{user_id}", data={
        "csrf_token": token(admin, "/admin/users"), "role": "agent", "entity": "", "extension": "102",
        "password": "a brand new password"})  # not active: disabled at once; the reset waits
    assert other.get("/calls").status_code == 302  # the old session is gone
    assert login(app.test_client(), "agent2", "a brand new password").status_code == 401
    assert admin.get("/cases").status_code == 403 and admin.get("/review").status_code == 403


def _approve(admin) -> None:
    page = admin.get("/admin/users").get_data(as_text=True)
    request_id = re.search(r'data-request="(\d+)"', page).group(1)
    reply = admin.post(f"/admin/users/requests/{request_id}/approve",
                       data={"csrf_token": token(admin, "/admin/users")})
    assert reply.status_code == 303


def test_routing_rule_change(app, client_as):
    admin = client_as("admin")
    with db.session_scope() as session:
        rule = session.query(RoutingRule).filter_by(to_governorate=False).first()
        rule_id, entity_id = rule.id, rule.entity_id
    admin.post(f"/admin/routing/{rule_id}", data={"csrf_token": token(admin, "/admin/routing"),
                                                   "target": "governorate"})
    with db.session_scope() as session:
        rule = session.get(RoutingRule, rule_id)
        assert rule.to_governorate and rule.entity_id is None
    assert entity_id is not None
    # A target that is neither an entity nor "governorate" is refused, and nothing changes.
    admin.post(f"/admin/routing/{rule_id}", data={"csrf_token": token(admin, "/admin/routing"),
                                                   "target": "999999"})
    with db.session_scope() as session:
        assert session.get(RoutingRule, rule_id).to_governorate
    assert PASSWORD


def test_routing_page_shows_target_priority_and_deletes(app, client_as):
    admin = client_as("admin")
    page = text(admin.get("/admin/routing").get_data(as_text=True))
    # Names, not codes: the catch-all reads "any category", a governorate rule its target.
    assert "أي نوع" in page and "محافظة الشكوى" in page and "min-local-development" not in page
    with db.session_scope() as session:
        cairo = session.query(RoutingRule).filter_by(category="garbage", governorate="cairo").one()
        catch_all = session.query(RoutingRule).filter_by(category="*", governorate="*").one()
        cairo_id, catch_all_id = cairo.id, catch_all.id
    html = admin.get("/admin/routing").get_data(as_text=True)
    row = re.search(rf'<tr data-rule="{cairo_id}"><td class="priority">([^<]+)</td>', html)
    assert row and row.group(1) == "١"  # category × governorate: tried first
    admin.post(f"/admin/routing/{catch_all_id}/delete", data={"csrf_token": token(admin, "/admin/routing")})
    admin.post(f"/admin/routing/{cairo_id}/delete", data={"csrf_token": token(admin, "/admin/routing")})
    with db.session_scope() as session:
        assert session.get(RoutingRule, catch_all_id) is not None  # every complaint keeps a route
        assert session.get(RoutingRule, cairo_id) is None
        assert session.query(AuditEntry).filter_by(action="routing.deleted").count() == 1


def test_add_rule_validates_and_routes(app, client_as):
    admin = client_as("admin")
    with db.session_scope() as session:
        health = session.query(Entity).filter_by(code="min-health").one().id

    def add(**fields):
        return admin.post("/admin/routing", data={"csrf_token": token(admin, "/admin/routing"), **fields})

    assert "توجد قاعدة" in text(add(category="garbage", governorate="cairo", target=str(health)).get_data(as_text=True))
    assert "اختر الجهة" in text(add(category="garbage", governorate="luxor", target="").get_data(as_text=True))
    assert add(category="garbage", governorate="luxor", target=str(health)).status_code == 302
    with db.session_scope() as session:
        assert cases.suggest_entity(session, "garbage", "luxor").code == "min-health"


def test_admin_adds_and_edits_entities_with_validation(app, client_as):
    admin = client_as("admin")

    def add(**fields):
        data = {"csrf_token": token(admin, "/admin/entities"), "code": "aswan-cleaning", "kind": "authority",
                "name_ar": "هيئة نظافة أسوان", "name_en": "Aswan Cleaning Authority", "parent": "", "active": "y"}
        return admin.post("/admin/entities", data={**data, **fields})

    assert "بحروف عربية" in text(add(name_ar="Aswan").get_data(as_text=True))
    assert "بحروف لاتينية" in text(add(name_en="هيئة").get_data(as_text=True))
    assert "مستخدم لجهة أخرى" in text(add(code="min-health").get_data(as_text=True))
    assert "الرمز من" in text(add(code="Bad Code!").get_data(as_text=True))
    with db.session_scope() as session:
        aswan = session.query(Entity).filter_by(code="gov-aswan").one().id
    assert add(parent=str(aswan)).status_code == 302
    with db.session_scope() as session:
        made = session.query(Entity).filter_by(code="aswan-cleaning").one()
        assert made.parent_id == aswan and made.active and made.kind.value == "authority"
        made_id = made.id
    edit = admin.post(f"/admin/entities/{aswan}", data={
        "csrf_token": token(admin, f"/admin/entities/{aswan}"), "name_ar": "محافظة أسوان",
        "name_en": "Aswan Governorate", "parent": str(made_id), "active": "y"})
    assert "لا يمكن أن تتبع الجهة نفسها" in text(edit.get_data(as_text=True))  # no cycles
    edit = admin.post(f"/admin/entities/{made_id}", data={
        "csrf_token": token(admin, f"/admin/entities/{made_id}"), "name_ar": "هيئة النظافة بأسوان",
        "name_en": "Aswan Cleaning", "parent": str(aswan)})  # active left out: disabled
    assert edit.status_code == 302
    with db.session_scope() as session:
        made = session.get(Entity, made_id)
        assert made.name_ar == "هيئة النظافة بأسوان" and not made.active
        assert session.query(AuditEntry).filter_by(action="entity.created").count() == 1
