"""Cases with places for the places/clusters tests: a few garbage piles in Cairo and Giza."""
from __future__ import annotations

from hotline import cases, db, users
from hotline.models import Case, Complainant

PASSWORD = "correct horse battery"
# A street corner in Nasr City (Cairo) and one by the pyramids (Giza); 120 m east of the first.
NASR_CITY = (30.0561, 31.3301)
NEAR_NASR_CITY = (30.0561, 31.3313)
PYRAMIDS = (29.9792, 31.1342)
PILE = "تراكم القمامة أمام مدرسة الشهيد أحمد في شارع مصطفى النحاس منذ أسبوع"
PILE_AGAIN = "الزباله متكومه قدام مدرسه الشهيد احمد بشارع مصطفي النحاس"
OTHER = "حفرة كبيرة في الطريق بجوار محطة البنزين تسببت في حوادث"


def new_case(session, *, category="garbage", governorate="cairo", description=PILE, pin=None,
             address=None, channel="whatsapp", phone="01012345678", consent=False, name="مواطن") -> Case:
    """A case as an intake channel opens it, with a pin when given."""
    person = Complainant(name=name)
    person.phone = phone
    person.give_consent(consent, channel)
    case = cases.create_case(session, channel=channel, actor=channel, category=category,
                             governorate=governorate, description=description, complainant=person)
    case.address = address
    if pin:
        case.latitude, case.longitude = pin
    return case


def make_users() -> None:
    """One user per role the tests sign in as (the officer works for Cairo's cleaning authority)."""
    with db.session_scope() as session:
        for name, role, entity in (("agent", "agent", None), ("supervisor", "supervisor", None),
                                   ("admin", "admin", None), ("reviewer", "quality_reviewer", None),
                                   ("officer", "entity_officer", "cairo-cleaning"),
                                   ("giza_officer", "entity_officer", "giza-cleaning")):
            users.create_user(session, username=name, password=PASSWORD, role=role, entity_code=entity)
