"""Places fixtures: the console's app and users (tests.console.conftest), the officer working for
Cairo's cleaning authority; units a test imported are removed again (PostgreSQL keeps the
entities table between tests, and other suites count entities)."""
from __future__ import annotations

import pytest

from tests.console.conftest import app, client_as  # noqa: F401  the console's app, one user per role


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
def officer_entity() -> str:
    """The test entity officer works for Cairo's cleaning authority (tests.console's app fixture)."""
    return "cairo-cleaning"


@pytest.fixture
def giza_officer(app) -> str:
    """An officer of another entity, Giza's cleaning authority."""
    from hotline import db, users
    from tests.console.conftest import PASSWORD

    with db.session_scope() as session:
        users.create_user(session, username="giza_officer", password=PASSWORD, role="entity_officer",
                          entity_code="giza-cleaning")
    return "giza_officer"
