"""Pins reverse-geocoded by egygeo's real borders; the pin decides or flags the governorate."""
from __future__ import annotations

import random

import pytest

from hotline import db, geo
from hotline.models import Case, CasePlace
from tests.places.world import NASR_CITY, PYRAMIDS, new_case


def test_border_lookup_agrees_with_egygeo_everywhere():
    import egygeo

    rng = random.Random(16)
    checked = 0
    for _ in range(1500):
        lat, lon = rng.uniform(22, 31.6), rng.uniform(25, 36.8)
        theirs = egygeo.get_name(lat, lon)
        if theirs is None:
            continue
        ours = geo.governorate_at(lat, lon)
        assert ours is not None and ours.inside, (lat, lon)
        assert ours.slug.replace("_", " ") == theirs["english"].lower(), (lat, lon, theirs)
        checked += 1
    assert checked > 1000


@pytest.mark.parametrize("pin, slug", [(NASR_CITY, "cairo"), (PYRAMIDS, "giza"),
                                       ((31.2001, 29.9187), "alexandria"), ((25.6872, 32.6396), "luxor"),
                                       ((27.9158, 34.3299), "south_sinai")])
def test_known_places(pin, slug):
    assert geo.governorate_at(*pin).slug == slug


def test_outside_egypt_and_bad_numbers():
    assert geo.governorate_at(40.7128, -74.0060) is None
    assert geo.governorate_at(33.5, 36.3) is None  # Damascus
    assert geo.valid_pin("x", 3) is None and geo.valid_pin(91, 0) is None
    assert geo.valid_pin(float("nan"), 31) is None


def test_the_map_geojson_is_egygeos_with_our_slugs():
    collection = geo.geojson()
    assert len(collection["features"]) == 27
    slugs = {f["properties"]["slug"] for f in collection["features"]}
    assert {"cairo", "giza", "new_valley", "north_sinai"} <= slugs
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in collection["features"])


def test_pin_decides_the_governorate_when_none_was_given(db_url):
    with db.session_scope() as session:
        case_id = new_case(session, governorate=None, pin=PYRAMIDS).id
    with db.session_scope() as session:
        case, place = session.get(Case, case_id), session.get(CasePlace, case_id)
        assert case.governorate == "giza"
        assert place.pin_governorate == "giza" and not place.governorate_conflict
        assert place.source == "whatsapp" and place.cell == geo.cell(*PYRAMIDS)


def test_pin_in_another_governorate_is_flagged_not_overridden(db_url):
    with db.session_scope() as session:
        case_id = new_case(session, governorate="cairo", pin=PYRAMIDS).id
    with db.session_scope() as session:
        case, place = session.get(Case, case_id), session.get(CasePlace, case_id)
        assert case.governorate == "cairo"
        assert place.pin_governorate == "giza" and place.governorate_conflict


def test_a_case_without_a_pin_still_has_a_place_row(db_url):
    with db.session_scope() as session:
        case_id = new_case(session, address="شارع التحرير").id
    with db.session_scope() as session:
        place = session.get(CasePlace, case_id)
        assert place.latitude is None and place.cell is None and place.source == "whatsapp"
        assert place.is_open and place.category == "garbage" and "التحرير" in place.text_norm


def test_a_pin_moved_later_is_followed(db_url):
    with db.session_scope() as session:
        case_id = new_case(session, governorate=None, pin=None).id
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        case.latitude, case.longitude = NASR_CITY
    with db.session_scope() as session:
        assert session.get(Case, case_id).governorate == "cairo"
        assert session.get(CasePlace, case_id).pin_governorate == "cairo"


def test_a_failing_duplicate_search_never_loses_the_complaint(db_url, monkeypatch, caplog):
    from hotline import duplicates

    def broken(session, place):
        raise RuntimeError("search index unavailable")

    monkeypatch.setattr(duplicates, "suggest", broken)
    with db.session_scope() as session:
        case_id = new_case(session, pin=NASR_CITY).id
    with db.session_scope() as session:
        assert session.get(Case, case_id) is not None
        assert session.get(CasePlace, case_id) is None  # rolled back to its savepoint
    assert "place and duplicates not updated" in caplog.text
