"""Open311 GeoReport v2: field names as the spec has them, API keys, entity scope, masking."""
from __future__ import annotations

from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from agent_console.open311 import keys
from entities_world import NID, PHONE
from hotline import db
from hotline.models import AuditEntry, Case, Entity

# GeoReport v2 (wiki.open311.org/GeoReport_v2): GET Service List and GET Service Request(s).
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code",
                  "description", "agency_responsible", "service_notice", "requested_datetime",
                  "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                  "lat", "long", "media_url"}
EXTENSIONS = {"extended_attributes"}


@pytest.fixture
def key_for(world):
    def make(code: str) -> str:
        with db.session_scope() as session:
            return keys.issue(session, session.scalar(select(Entity).where(Entity.code == code)), "test")
    return make


@pytest.fixture
def api(app):
    return app.test_client()


def test_services_have_the_spec_fields(api, key_for):
    reply = api.get("/open311/v2/services.json", headers={"X-Api-Key": key_for("gov-cairo")})
    assert reply.status_code == 200
    services = reply.get_json()
    assert services and all(set(s) == SERVICE_FIELDS for s in services)
    assert all(s["type"] in ("realtime", "batch", "blackbox") and s["metadata"] is False for s in services)
    definition = api.get(f"/open311/v2/services/{services[0]['service_code']}.json",
                         headers={"X-Api-Key": key_for("gov-cairo")}).get_json()
    assert definition["service_code"] == services[0]["service_code"] and definition["attributes"] == []


def test_requests_are_scoped_and_masked_by_consent(api, key_for, world):
    reply = api.get("/open311/v2/requests.json", headers={"X-Api-Key": key_for("gov-cairo")})
    docs = {d["service_request_id"]: d for d in reply.get_json()}
    assert set(docs) == {world.numbers[k] for k in ("a_consent", "a_masked", "a_unit")}
    for doc in docs.values():
        assert set(doc) == REQUEST_FIELDS | EXTENSIONS
        assert doc["status"] in ("open", "closed")
    shown, masked = (docs[world.numbers[k]]["extended_attributes"] for k in ("a_consent", "a_masked"))
    assert (shown["phone"], shown["national_id"], shown["identity_masked"]) == (PHONE, NID, False)
    assert (masked["phone"], masked["national_id"], masked["identity_masked"]) == (
        "010****5678", "2*********4567", True)
    with db.session_scope() as session:
        audited = set(session.scalars(select(AuditEntry.case_id).where(
            AuditEntry.action == "identity.viewed", AuditEntry.actor.like("open311:%"))))
    assert world.ids["a_consent"] in audited and world.ids["a_masked"] not in audited


def test_other_entitys_request_is_not_found(api, key_for, world):
    key = key_for("gov-cairo")
    reply = api.get(f"/open311/v2/requests/{world.numbers['b_consent']}.json", headers={"X-Api-Key": key})
    assert reply.status_code == 404 and reply.get_json()[0]["code"] == 404
    listed = api.get("/open311/v2/requests.json", headers={"X-Api-Key": key}, query_string={
        "service_request_id": world.numbers["b_consent"]}).get_json()
    assert listed == []
    own = api.get(f"/open311/v2/requests/{world.numbers['a_unit']}.json", headers={"X-Api-Key": key})
    assert own.status_code == 200 and own.get_json()[0]["service_request_id"] == world.numbers["a_unit"]


def test_keys_are_required_and_stored_hashed(api, key_for):
    key = key_for("gov-giza")
    assert api.get("/open311/v2/services.json").status_code == 401
    assert api.get("/open311/v2/services.json", headers={"X-Api-Key": "o311_wrong"}).status_code == 401
    in_url = api.get("/open311/v2/services.json", query_string={"api_key": key})
    assert in_url.status_code == 400 and "never in the URL" in in_url.get_json()[0]["description"]
    with db.session_scope() as session:
        stored = session.scalars(select(keys.Open311Key.key_hash)).all()
    assert key not in stored and len(stored[0]) == 64


def test_post_creates_a_case_routed_to_the_keys_entity(api, key_for):
    reply = api.post("/open311/v2/requests.json", data={
        "api_key": key_for("gov-giza"), "service_code": "garbage", "description": "قمامة أمام الوحدة",
        "lat": "30.01", "long": "31.2", "address_string": "شارع الهرم", "first_name": "علي",
        "phone": "01112223334"})
    assert reply.status_code == 201
    number = reply.get_json()[0]["service_request_id"]
    with db.session_scope() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert (case.channel, case.entity.code, case.status.value, case.latitude) == (
            "open311", "gov-giza", "routed", 30.01)
    bad = api.post("/open311/v2/requests.json", data={"api_key": key_for("gov-giza"), "service_code": "nope"})
    assert bad.status_code == 400 and "service_code" in bad.get_json()[0]["description"]


def test_xml_uses_the_same_field_names(api, key_for, world):
    reply = api.get("/open311/v2/requests.xml", headers={"X-Api-Key": key_for("gov-cairo")})
    assert reply.status_code == 200 and reply.mimetype == "text/xml"
    root = ElementTree.fromstring(reply.data)
    assert root.tag == "service_requests"
    for request in root.findall("request"):
        assert {child.tag for child in request} == REQUEST_FIELDS | EXTENSIONS
    assert PHONE not in reply.get_data(as_text=True).replace(
        _text(root, world.numbers["a_consent"]), "")


def _text(root, number: str) -> str:
    for request in root.findall("request"):
        if request.findtext("service_request_id") == number:
            return request.findtext("extended_attributes/phone")
    return "\0"


def test_open311_key_command_issues_a_working_key(db_url):
    """``run_ivr.py open311-key`` prints a key once; the key then opens that entity's requests."""
    from hotline import settings
    from tests.conftest import run_command

    result = run_command(settings.get(), "open311-key", "gov-minya", "--label", "Minya ERP")
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("o311_")
    from agent_console import create_app

    client = create_app(settings.get()).test_client()
    answer = client.get("/open311/v2/requests.json", headers={"X-Api-Key": key})
    assert answer.status_code == 200 and isinstance(answer.get_json(), list)
    assert client.get("/open311/v2/requests.json", headers={"X-Api-Key": "o311_wrong"}).status_code in (401, 403)
    unknown = run_command(settings.get(), "open311-key", "gov-atlantis")
    assert unknown.returncode == 1 and "no entity with code 'gov-atlantis'" in unknown.stderr
