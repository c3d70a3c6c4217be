"""WhatsApp pins and photos feed places and duplicates (issue 16): two citizens send the same
pile with its location and a photo; the second case is suggested the first, with the photo."""
from __future__ import annotations

from sqlalchemy import select

from hotline import db
from hotline.models import Case, CasePlace, DuplicateSuggestion
from tests.places.test_clusters import _photo
from tests.whatsapp import webhooks as wh
from tests.whatsapp.conftest import say
from tests.whatsapp.test_complaint import finish_complaint, start_complaint

OTHER_CITIZEN = "201098765432"


def test_two_citizens_same_pile_pin_and_photo(client, graph_api):
    graph_api.add_media("pile-a", _photo(11), "image/jpeg")
    graph_api.add_media("pile-b", _photo(11, shift=5), "image/jpeg")
    start_complaint(client, graph_api)
    say(client, wh.image("pile-a"))
    say(client, wh.location(30.0622, 31.2442))
    finish_complaint(client)
    start_complaint(client, graph_api, sender=OTHER_CITIZEN)
    say(client, wh.image("pile-b", sender=OTHER_CITIZEN))
    say(client, wh.location(30.0624, 31.2444, sender=OTHER_CITIZEN))
    finish_complaint(client, sender=OTHER_CITIZEN, national_id="29105051234568")
    with db.session_scope() as session:
        first, second = session.scalars(select(Case).order_by(Case.id)).all()
        place = session.get(CasePlace, second.id)
        assert (place.source, place.pin_governorate, place.governorate_conflict) == ("whatsapp", "cairo", False)
        found = session.scalars(select(DuplicateSuggestion).where(DuplicateSuggestion.case_id == second.id)).all()
        assert [s.candidate_id for s in found] == [first.id]
        assert found[0].photo_distance <= 10 and found[0].distance_m < 40


def test_a_pin_in_another_governorate_is_flagged(client, graph_api):
    start_complaint(client, graph_api)  # the citizen chose Cairo
    say(client, wh.location(29.9792, 31.1342))  # the pyramids, in Giza
    finish_complaint(client)
    with db.session_scope() as session:
        case = session.scalars(select(Case)).one()
        place = session.get(CasePlace, case.id)
        assert case.governorate == "cairo" and place.pin_governorate == "giza" and place.governorate_conflict
