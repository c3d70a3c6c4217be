"""Route × role × case × field: each role signs in and reads every surface of every case.

The identity (name, phone, national ID, calling number) and the identifiers typed or said into
the free text (description, address, routing note, entity answer, transcript and its words,
WhatsApp message) show only where the identity gate allows: the agent on the case's call, an
entity with the complainant's consent. Anywhere else not one of them appears — in the page's
text, its form values, JSON, XML or CSV — and an unmasked view is always audited.
"""
from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import select

from agent_console.open311 import keys
from hotline import db
from hotline.models import AuditEntry, Entity
from tests.security.conftest import CALLER, NAME, NID, OTHER_NID, PHONE, csrf, spoken
from tests.support.pages import western

CASES = ("consent", "masked", "handled", "giza")
# role → the cases whose identity it sees (None: it has no case surface at all).
SEES = {"agent": {"handled"}, "agent2": set(), "supervisor": set(), "reviewer": set(),
        "officer": {"consent"}, "officer_b": {"giza"}, "admin": None}
OFFICER_SCOPE = {"officer": {"consent", "masked", "handled"}, "officer_b": {"giza"}}


def exposed(body: str) -> set[str]:
    """Which secrets a response shows, however its digits are written or spaced."""
    try:  # JSON writes Arabic as \u escapes
        body = json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        pass
    raw = western(html.unescape(body))
    compact = re.sub(r"[\s\-/.,\u200e\u200f\u2066-\u2069]", "", raw)
    words = " ".join(re.sub(r"<[^>]+>|[\"',\[\]{}]", " ", raw).split())
    found = {name for name, secret in (("nid", NID), ("phone", PHONE), ("caller", CALLER),
                                       ("typed_nid", OTHER_NID)) if secret in compact}
    if NAME in raw:
        found.add("name")
    if spoken(OTHER_NID) in words or spoken(OTHER_NID[-7:]) in words:
        found.add("spoken_nid")
    return found


def surfaces(role: str, world, case: str) -> dict[str, str]:
    """Every page and document of ``case`` that ``role``'s own screens offer."""
    case_id = world.ids[case]
    if role.startswith("officer"):
        return {"inbox page": f"/entity/cases/{case_id}"}
    pages = {"case page": f"/cases/{case_id}", "transcript json": f"/cases/{case_id}/transcript",
             "whatsapp page": f"/cases/{case_id}/whatsapp"}
    if role == "reviewer":
        pages["review page"] = f"/review/{case_id}"
    return pages


def api_get(app, client, number: str):
    page = client.post("/account", data={"csrf_token": csrf(client)})
    match = re.search(r'<pre id="api-token">([^<]+)</pre>', page.get_data(as_text=True))
    if match is None:
        return None
    return app.test_client().get(f"/api/v1/cases/{number}",
                                 headers={"Authorization": f"Bearer {match.group(1)}"})


def viewed(case_id: int, actor: str) -> list[AuditEntry]:
    with db.session_scope() as session:
        return list(session.scalars(select(AuditEntry).where(
            AuditEntry.action == "identity.viewed", AuditEntry.case_id == case_id,
            AuditEntry.actor == actor)))


@pytest.mark.parametrize("role", list(SEES))
def test_every_surface_shows_identity_only_where_the_gate_allows(app, client_as, world, role):
    client = client_as(role)
    for case in CASES:
        if SEES[role] is None:
            for path in surfaces("agent", world, case).values():
                assert client.get(path).status_code == 403, (role, path)
            continue
        in_scope = not role.startswith("officer") or case in OFFICER_SCOPE[role]
        for surface, path in surfaces(role, world, case).items():
            reply = client.get(path)
            if not in_scope:
                assert reply.status_code == 404, (role, case, surface)
                continue
            assert reply.status_code == 200, (role, case, surface, reply.status_code)
            shown = exposed(reply.get_data(as_text=True))
            if case in SEES[role]:
                if surface in ("case page", "inbox page"):
                    assert {"nid", "phone", "name", "typed_nid"} <= shown, (role, case, surface, shown)
            else:
                assert not shown, (role, case, surface, shown)
        if in_scope:
            assert bool(viewed(world.ids[case], role)) == (case in SEES[role]), (role, case)


@pytest.mark.parametrize("role", ["agent", "agent2", "supervisor", "officer"])
def test_the_json_api_passes_the_same_gate(app, client_as, world, role):
    client = client_as(role)
    for case in CASES:
        reply = api_get(app, client, world.numbers[case])
        if role == "officer" and case not in OFFICER_SCOPE[role]:
            assert reply.status_code == 404
            continue
        assert reply.status_code == 200
        body = reply.get_json()
        shown = exposed(reply.get_data(as_text=True))
        if case in SEES[role]:
            assert body["identity"]["masked"] is False and {"nid", "phone", "typed_nid"} <= shown
        else:
            assert body["identity"]["masked"] is True and not shown, (role, case, shown)


def test_a_reviewer_has_no_api_and_no_identity_look_up(client_as, world):
    reviewer = client_as("reviewer")
    assert "api-token" not in reviewer.get("/account").get_data(as_text=True)
    assert reviewer.post("/cases/find", data={"csrf_token": csrf(reviewer), "national_id": NID}).status_code == 403
    assert reviewer.get("/cases", query_string={"national_id": NID}).status_code == 400
    assert reviewer.post(f"/cases/{world.ids['masked']}/identity",
                         data={"csrf_token": csrf(reviewer), "reason": "أريد أن أعرف"}).status_code == 403


@pytest.fixture
def cairo_key(world):
    with db.session_scope() as session:
        return keys.issue(session, session.scalar(select(Entity).where(Entity.code == "gov-cairo")), "t")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_json_and_xml_pass_the_gate(app, world, cairo_key, fmt):
    api = app.test_client()
    for case in CASES:
        reply = api.get(f"/open311/v2/requests/{world.numbers[case]}.{fmt}", headers={"X-Api-Key": cairo_key})
        if case == "giza":
            assert reply.status_code == 404
            continue
        shown = exposed(reply.get_data(as_text=True))
        if case == "consent":
            assert {"nid", "phone", "name", "typed_nid"} <= shown
        else:
            assert not shown, (case, fmt, shown)
    listed = api.get(f"/open311/v2/requests.{fmt}", headers={"X-Api-Key": cairo_key}).get_data(as_text=True)
    assert listed.count(OTHER_NID[:7]) <= 1  # the consented case alone keeps its text
    with db.session_scope() as session:
        actors = set(session.scalars(select(AuditEntry.actor).where(
            AuditEntry.action == "identity.viewed", AuditEntry.case_id == world.ids["consent"])))
        masked = session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "identity.viewed", AuditEntry.case_id == world.ids["masked"]))
    assert any(a.startswith("open311:") for a in actors) and masked is None


@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_csv_export_passes_the_gate_row_by_row(client_as, world, role):
    import csv
    import io

    text = client_as(role).get("/reports/cases.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = {r["number"]: r for r in csv.DictReader(io.StringIO(text))}
    for case, number in world.numbers.items():
        if role == "officer" and case not in OFFICER_SCOPE[role]:
            assert number not in rows
            continue
        shown = exposed(",".join(rows[number].values()))
        if case in SEES[role]:
            assert {"nid", "phone", "typed_nid"} <= shown
        else:
            assert not shown and rows[number]["identity_masked"] == "yes", (role, case, shown)


def test_the_search_index_holds_no_identifier(client_as, world):
    from agent_console import search_index
    from agent_console.models import CaseSearch

    with db.session_scope() as session:
        search_index.catch_up(session)
        bodies = " ".join(session.scalars(select(CaseSearch.body)))
    assert not exposed(bodies)
    supervisor = client_as("supervisor")
    # A fragment of the typed ID is not an identifier, but the index never learned it either.
    assert world.numbers["masked"] not in western(supervisor.get("/cases", query_string={
        "q": OTHER_NID[7:]}).get_data(as_text=True))
    assert supervisor.get("/cases", query_string={"q": f"رقم {OTHER_NID}"}).status_code == 400
    officer = client_as("officer")
    assert world.numbers["masked"] not in western(officer.get("/entity/inbox", query_string={
        "status": "all", "q": OTHER_NID[7:]}).get_data(as_text=True))
    # No query string carries an identifier, on any route (it would reach access logs).
    for client, path in ((officer, "/entity/inbox"), (supervisor, "/reports/cases.csv"),
                         (supervisor, "/api/v1/cases"), (supervisor, "/audit"), (officer, "/open311/v2/requests.json")):
        reply = client.get(path, query_string={"q": "٠١٠ ١٢٣٤ ٥٦٧٨", "number": "1"})
        assert reply.status_code == 400 and "/cases/find" in reply.get_data(as_text=True), path


def test_socket_events_carry_no_identity(app, client_as, world):
    from hotline import cases, events
    from hotline.models import Case, CaseStatus
    from tests.console.test_live import socket_for

    sockets = [socket_for(app, client_as(r)) for r in ("agent", "officer", "supervisor")]
    with db.session_scope() as session:
        case = session.get(Case, world.ids["masked"])
        cases.change_status(session, case, CaseStatus.under_review, actor="officer")
    events.wait_dispatched()
    got = [r for sock in sockets for r in sock.get_received("/live")]
    assert any(r["name"] == "case.status_changed" for r in got)
    assert not exposed(str(got))


def test_no_audit_entry_holds_an_identity(app, client_as, world):
    supervisor = client_as("supervisor")
    supervisor.get("/reports/cases.csv", query_string={"q": f"قمامة {OTHER_NID}"})
    supervisor.post(f"/cases/{world.ids['masked']}/identity",
                    data={"csrf_token": csrf(supervisor), "reason": f"المواطن اتصل من {PHONE}"})
    supervisor.post("/cases/find", data={"csrf_token": csrf(supervisor), "national_id": NID})
    with db.session_scope() as session:
        rows = session.execute(select(AuditEntry.reason, AuditEntry.detail)).all()
    assert rows and not exposed(str(rows))
    assert any(detail and detail.get("by") == "national_id" for _reason, detail in rows)
