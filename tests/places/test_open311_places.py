"""Open311 lat/long become the case's place: the pin decides the governorate when the key's
entity has none, and a pin elsewhere than the entity's governorate is flagged."""
from __future__ import annotations

from sqlalchemy import select

from agent_console.open311 import keys
from hotline import db
from hotline.models import Case, CasePlace, Entity
from tests.places.world import PYRAMIDS


def _key(code: str) -> str:
    with db.session_scope() as session:
        return keys.issue(session, session.scalar(select(Entity).where(Entity.code == code)), "test")


def _post(app, key: str, pin) -> Case:
    reply = app.test_client().post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "garbage", "description": "تراكم القمامة بجوار الهرم",
        "lat": str(pin[0]), "long": str(pin[1])})
    assert reply.status_code == 201, reply.get_data(as_text=True)
    number = reply.get_json()[0]["service_request_id"]
    with db.session_scope() as session:
        return session.scalar(select(Case).where(Case.number == number))


def test_a_ministrys_request_goes_where_its_pin_is(app):
    case = _post(app, _key("min-environment"), PYRAMIDS)
    with db.session_scope() as session:
        place = session.get(CasePlace, case.id)
        assert case.governorate == "giza"
        assert (place.source, place.pin_governorate, place.governorate_conflict) == ("open311", "giza", False)


def test_a_governorates_request_with_a_pin_elsewhere_is_flagged(app):
    case = _post(app, _key("gov-cairo"), PYRAMIDS)
    with db.session_scope() as session:
        assert case.governorate == "cairo" and session.get(CasePlace, case.id).governorate_conflict
