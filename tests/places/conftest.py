"""Places fixtures: units a test imported are removed again (PostgreSQL keeps the entities table
between tests, and other suites count entities)."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def forget_imported_units(request):
    yield
    if "db_url" not in request.fixturenames:
        return
    from sqlalchemy import delete, select, update

    from hotline import db, reference
    from hotline.models import CasePlace, Entity

    codes = {row["code"] for row in reference._entity_rows()}
    with db.session_scope() as session:
        extra = [e.id for e in session.scalars(select(Entity)) if e.code not in codes]
        if extra:
            session.execute(update(CasePlace).where(CasePlace.local_unit_id.in_(extra)).values(local_unit_id=None))
            session.execute(delete(Entity).where(Entity.id.in_(extra)))


@pytest.fixture
def app(db_url):
    """A console app on the test's database, with the users of tests.places.world."""
    from agent_console import create_app, ratelimit
    from hotline import settings
    from tests.places.world import make_users

    ratelimit._local.clear()
    make_users()
    application = create_app(settings.get().replace(console_secure_cookies=False))
    application.config["TESTING"] = True
    yield application
    unsubscribe = application.extensions.get("shakwa.unsubscribe")
    if unsubscribe:
        unsubscribe()


@pytest.fixture
def client_as(app):
    """``client_as("agent")``: a test client signed in through the login form."""
    from tests.console.conftest import login
    from tests.places.world import PASSWORD

    def make(username: str):
        client = app.test_client()
        assert login(client, username, PASSWORD).status_code == 302
        return client

    return make
