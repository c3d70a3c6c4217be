"""WhatsApp fixtures: the fake Graph API on loopback, the console app configured for it, helpers."""
from __future__ import annotations

import io
import json
import re
import time

import pytest
from PIL import Image

from agent_console.whatsapp import signature
from hotline import db, jobs, reference, settings, users
from tests.support.console_app import console_app
from tests.whatsapp import webhooks
from tests.whatsapp.graph_server import TOKEN, GraphAPI

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
PASSWORD = "correct horse battery"


@pytest.fixture
def graph_api():
    with GraphAPI() as api:
        yield api


@pytest.fixture
def app(db_url, graph_api, monkeypatch):
    """The console app on the test database, talking to the fake Graph API; retries are quick."""
    conf = settings.get().replace(
        console_secure_cookies=False, whatsapp_verify_token=VERIFY_TOKEN,
        whatsapp_app_secret=APP_SECRET, whatsapp_access_token=TOKEN, whatsapp_graph_url=graph_api.url,
        whatsapp_numbers=(("01555516528", webhooks.PHONE_NUMBER_ID), ("01555525444", "")),
        whatsapp_max_photo_side=800)
    with db.session_scope() as session:
        for name, role in (("agent", "agent"), ("reviewer", "quality_reviewer"), ("officer", "entity_officer")):
            users.create_user(session, username=name, password=PASSWORD, role=role,
                              entity_code=reference.governorates()[0].code if role == "entity_officer" else None)
    with console_app(conf) as application:
        monkeypatch.setattr(jobs.embedded_worker(), "retry_intervals", (0.05, 0.1, 0.2))
        yield application
        drain()


@pytest.fixture
def client(app):
    return app.test_client()


def post(client, body: dict, secret: str | None = APP_SECRET, header: str | None = None):
    """POST a webhook body the way Meta does: raw JSON signed with the app secret."""
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["X-Hub-Signature-256"] = header
    elif secret is not None:
        headers["X-Hub-Signature-256"] = signature.sign(secret, raw)
    return client.post("/whatsapp/webhook", data=raw, headers=headers)


def drain(until=None, limit: float = 30.0) -> None:
    """Wait for the embedded job worker (and, with ``until``, for a condition retries bring)."""
    worker = jobs.embedded_worker()
    deadline = time.monotonic() + limit
    while True:
        worker.join()
        if until is None or until():
            return
        if time.monotonic() > deadline:
            raise AssertionError("background work did not finish")
        time.sleep(0.05)


def say(client, body: dict) -> None:
    """Deliver one webhook body and wait until it has been handled and answered."""
    response = post(client, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    drain()


def login(client, username: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def photo_with_gps(width: int = 1200, height: int = 900, fmt: str = "JPEG") -> bytes:
    """A photo as a phone takes it: EXIF with camera make and a GPS position."""
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for x in range(0, width, 7):
        for y in range(0, height, 5):
            pixels[x, y] = ((x * 7) % 256, (y * 3) % 256, (x + y) % 256)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (30.0, 3.0, 44.0), 3: "E", 4: (31.0, 14.0, 8.0)})
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()
