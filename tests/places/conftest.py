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
