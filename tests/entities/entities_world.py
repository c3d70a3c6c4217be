"""Test data and a loopback gateway for the entity tests (imported by their conftest)."""
from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import select

from hotline import cases, db, users
from hotline.models import Call, Complainant, Entity

PASSWORD = "correct-horse-battery"
PHONE, NID, NAME = "01012345678", "29001011234567", "سعاد محمد"


@dataclass
class World:
    ids: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)


def _entity(session, code: str) -> Entity:
    return session.scalar(select(Entity).where(Entity.code == code))


def _case(session, entity_code: str, consent: bool, description: str, category="garbage",
          governorate="cairo"):
    person = Complainant(name=NAME, phone=PHONE, national_id=NID)
    person.give_consent(consent, "ivr")
    call = Call(uniqueid=f"call-{abs(hash(description))}", caller=PHONE)
    session.add(call)
    session.flush()
    case = cases.create_case(session, channel="ivr", actor="ivr", category=category,
                             governorate=governorate, description=description,
                             complainant=person, call=call)
    cases.route(session, case, _entity(session, entity_code), actor="agent1")
    return case


def build_world() -> World:
    """Officers of Cairo and Giza, staff, and four routed cases."""
    world = World()
    with db.session_scope() as session:
        made = {
            "officer_a": users.create_user(session, username="officer_a", password=PASSWORD,
                                           role="entity_officer", entity_code="gov-cairo"),
            "officer_b": users.create_user(session, username="officer_b", password=PASSWORD,
                                           role="entity_officer", entity_code="gov-giza"),
            "unit_officer": users.create_user(session, username="unit_officer", password=PASSWORD,
                                              role="entity_officer", entity_code="cairo-cleaning"),
            "supervisor": users.create_user(session, username="supervisor", password=PASSWORD,
                                            role="supervisor"),
            "admin": users.create_user(session, username="admin1", password=PASSWORD, role="admin"),
        }
        made_cases = {
            "a_consent": _case(session, "gov-cairo", True, "قمامة متراكمة في شارع التحرير"),
            "a_masked": _case(session, "gov-cairo", False, "قمامة أمام المدرسة"),
            "a_unit": _case(session, "cairo-cleaning", True, "صناديق القمامة ممتلئة"),
            "b_consent": _case(session, "gov-giza", True, "قمامة في الهرم", governorate="giza"),
        }
        session.flush()
        world.ids = {k: v.id for k, v in {**made, **made_cases}.items()}
        world.numbers = {k: v.number for k, v in made_cases.items()}
    return world


class Gateway:
    """Answers POSTs with scripted (status, json) replies, then 201/200 success; keeps requests."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[tuple[int, dict]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                body = json.loads(raw) if "json" in kind else dict(urllib.parse.parse_qsl(raw.decode()))
                gateway.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status, reply = gateway.script.pop(0) if gateway.script else gateway.success(self.path)
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def success(path: str) -> tuple[int, dict]:
        if path.endswith("/Messages.json"):  # Twilio Messages API: 201 Created
            return 201, {"sid": f"SM{len(path):032d}", "status": "queued"}
        return 200, {"messaging_product": "whatsapp",  # WhatsApp Cloud API
                     "contacts": [{"input": "x", "wa_id": "x"}], "messages": [{"id": "wamid.HBgM1"}]}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def csrf_of(html: str) -> str:
    """The CSRF token a page carries in its meta tag."""
    import re

    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def signed_in(app, username: str):
    """A test client signed in through the real login form."""
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    reply = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert reply.status_code == 302, reply.get_data(as_text=True)[:500]
    return client
