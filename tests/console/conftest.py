"""Console fixtures: an app on the test's database, users of every role, calls and cases."""
from __future__ import annotations

import re

import pytest

from hotline import db, reference, settings, users
from hotline.models import Call, CallStep, utcnow
from tests.conftest import use_settings
from tests.support import database
from tests.support.console_app import console_app

PASSWORD = "correct horse battery"
ROLES = {"agent": "agent", "supervisor": "supervisor", "reviewer": "quality_reviewer",
         "officer": "entity_officer", "admin": "admin"}


@pytest.fixture
def officer_entity() -> str:
    """The entity code the test entity officer belongs to (the first governorate)."""
    return reference.governorates()[0].code


@pytest.fixture
def app(db_url, officer_entity):
    """A console app on the test's migrated database, with one user per role."""
    from agent_console import ratelimit

    ratelimit._local.clear()  # failed logins of an earlier test must not lock this one out
    conf = settings.get().replace(console_secure_cookies=False)
    with db.session_scope() as session:
        for name, role in ROLES.items():
            users.create_user(session, username=name, password=PASSWORD, role=role,
                              entity_code=officer_entity if role == "entity_officer" else None,
                              extension="101" if name == "agent" else None)
    with console_app(conf) as application:
        yield application


@pytest.fixture
def shared_conf(postgresql_database, redis_url):
    """Settings on a clean PostgreSQL database and the test's Redis, with user ``agent``: what
    several real console processes share."""
    database.clean_postgresql(postgresql_database)
    conf = use_settings(settings.get().replace(database_url=postgresql_database))
    with db.session_scope() as session:
        users.create_user(session, username="agent", password=PASSWORD, role="agent", extension="101")
    return conf


def csrf_of(html: str) -> str:
    """The CSRF token a page carries in its meta tag."""
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def login(client, username: str, password: str = PASSWORD):
    """Sign in through the real login form (CSRF included)."""
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_of(page)})


@pytest.fixture
def client_as(app):
    """``client_as("agent")``: a test client signed in as that user."""

    def make(username: str):
        client = app.test_client()
        assert login(client, username).status_code == 302
        return client

    return make


def token(client, path: str = "/calls") -> str:
    return csrf_of(client.get(path).get_data(as_text=True))


def make_call(uniqueid: str = "1700000000.1", *, outcome: str | None = None, steps=("welcome",),
              caller: str = "01012345678") -> int:
    """A call row as the IVR writes it, with its steps; returns its id."""
    with db.session_scope() as session:
        call = Call(uniqueid=uniqueid, mode="simulated", language="ar", outcome=outcome)
        call.caller = caller
        if outcome:
            call.ended_at = utcnow()
        session.add(call)
        session.flush()
        for seq, step in enumerate(steps, start=1):
            session.add(CallStep(call_id=call.id, seq=seq, step=step))
        return call.id
