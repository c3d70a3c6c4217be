"""An insider's world: one user per role (two agents, two entities' officers, two admins), and
cases whose identity sits in every field — the form, the description, the address, a routing
note, the transcript (spoken digit by digit), a WhatsApp message and an entity's answer."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from hotline import cases, db, users
from hotline.models import Call, Complainant, Entity, Recording, Response, Transcript, User
from agent_console.whatsapp.models import Conversation, Message
from tests.support.console_app import console_app
from tests.console.conftest import PASSWORD, client_as, csrf_of  # noqa: F401 (client_as: a fixture)

NID, PHONE, NAME, CALLER = "29001011234567", "01012345678", "سعاد محمد", "01198765432"
OTHER_NID = "29512250112348"  # typed into the free text, not the form
SAID = {"0": "صفر", "1": "واحد", "2": "اتنين", "3": "تلاتة", "4": "اربعة", "5": "خمسة",
        "6": "ستة", "7": "سبعة", "8": "تمانية", "9": "تسعة"}
USERS = {"agent": "agent", "agent2": "agent", "supervisor": "supervisor", "reviewer": "quality_reviewer",
         "officer": "entity_officer", "officer_b": "entity_officer", "admin": "admin", "admin2": "admin"}


def spoken(digits: str) -> str:
    return " ".join(SAID[d] for d in digits)


@dataclass
class World:
    ids: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)


def _case(session, key: str, entity: Entity, consent: bool, world: World) -> None:
    person = Complainant(name=NAME, phone=PHONE, national_id=NID)
    person.give_consent(consent, "ivr")
    call = Call(uniqueid=f"insider-{key}", mode="simulated", language="ar")
    call.caller = CALLER
    session.add(call)
    session.flush()
    case = cases.create_case(
        session, channel="ivr", actor="ivr", category="garbage", governorate=entity.governorate or "cairo",
        description=f"القمامة متراكمة، رقمي القومي {OTHER_NID[:7]} - {OTHER_NID[7:]} وكلموني على ٠١٠ ١٢٣٤ ٥٦٧٨",
        complainant=person, call=call)
    case.address = f"شارع التحرير، عمارة 15، موبايل {PHONE}"
    case.district = "مدينة نصر"
    recording = Recording(case_id=case.id, call_id=call.id, status="stored")
    session.add(recording)
    session.flush()
    text = f"الزبالة في الشارع ورقمي {spoken(OTHER_NID)} يا فندم"
    session.add(Transcript(recording_id=recording.id, case_id=case.id, text=text, redacted_text=text,
                           search_text=text, words=[{"word": w, "start": i * 0.5, "end": i * 0.5 + 0.4}
                                                    for i, w in enumerate(text.split())]))
    cases.route(session, case, entity, actor="agent", note=f"المواطن طلب الاتصال على {PHONE}")
    session.add(Response(case_id=case.id, entity_id=entity.id, body=f"اتصلنا بالرقم {PHONE}"))
    chat = Conversation(business_number=f"0155551652{len(world.ids)}", case_id=case.id)
    chat.phone = CALLER
    session.add(chat)
    session.flush()
    # Bodies are stored redacted since the webhook learned to (issue 5); older rows were not.
    session.add(Message(conversation_id=chat.id, case_id=case.id, direction="in", kind="text",
                        body=f"رقمي {OTHER_NID} والتليفون {PHONE}", status="processed"))
    session.flush()
    world.ids[key], world.numbers[key] = case.id, case.number


@pytest.fixture
def world(db_url) -> World:
    """Cases routed to Cairo (with and without consent) and Giza; agent handles ``handled``."""
    from agent_console.models import AgentCall

    found = World()
    with db.session_scope() as session:
        cairo = session.scalar(select(Entity).where(Entity.code == "gov-cairo"))
        giza = session.scalar(select(Entity).where(Entity.code == "gov-giza"))
        for name, role in USERS.items():
            entity = {"officer": "gov-cairo", "officer_b": "gov-giza"}.get(name)
            user = users.create_user(session, username=name, password=PASSWORD, role=role, entity_code=entity)
            found.users[name] = user.id
        _case(session, "consent", cairo, True, found)
        _case(session, "masked", cairo, False, found)
        _case(session, "handled", cairo, False, found)
        _case(session, "giza", giza, True, found)
        handled = found.ids["handled"]
        call_id = session.scalar(select(Call.id).where(Call.uniqueid == "insider-handled"))
        session.add(AgentCall(user_id=found.users["agent"], call_id=call_id, case_id=handled))
    return found


@pytest.fixture
def app(world):
    from agent_console import ratelimit

    ratelimit._local.clear()
    with console_app() as application:
        yield application


def csrf(client, path: str = "/account") -> str:
    return csrf_of(client.get(path).get_data(as_text=True))


def user_id(username: str) -> int:
    with db.session_scope() as session:
        return session.scalar(select(User.id).where(User.username == username))
