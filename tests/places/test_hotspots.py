"""The figures behind the map and the charts: open complaints per governorate, work items as
points, weeks starting on Saturday, SLA compliance per entity; scoped like the reports."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

from sqlalchemy import select

from hotline import cases, db, hotspots
from hotline.models import CaseStatus, Entity, utcnow
from tests.places.world import NASR_CITY, PYRAMIDS, new_case

SUPERVISOR = SimpleNamespace(role="supervisor", entity_id=None)


def test_weeks_start_on_saturday():
    friday = datetime(2026, 11, 27, 12, tzinfo=timezone.utc)
    assert hotspots.week_of(friday) == date(2026, 11, 21)  # a Saturday
    assert hotspots.week_of(friday + timedelta(days=1)) == date(2026, 11, 28)
    assert hotspots.weeks(date(2026, 11, 25), date(2026, 12, 6))[0] == date(2026, 11, 21)


def test_open_counts_sla_per_entity_and_scope(db_url):
    now = utcnow()
    with db.session_scope() as session:
        cleaning = session.scalar(select(Entity).where(Entity.code == "cairo-cleaning"))
        on_time, late, still_open = (new_case(session, pin=NASR_CITY) for _ in range(3))
        new_case(session, pin=PYRAMIDS, governorate="giza")
        session.flush()
        for case in (on_time, late, still_open):
            cases.route(session, case, cleaning, actor="agent")
        for case in (on_time, late):
            cases.change_status(session, case, CaseStatus.answered, actor="officer")
        late.due_at = now - timedelta(days=1)  # answered (just now) after it was due
        still_open.due_at = now - timedelta(hours=1)
        officer = SimpleNamespace(role="entity_officer", entity_id=cleaning.id)
        giza = session.scalar(select(Entity).where(Entity.code == "giza-cleaning"))
    today = date.today()
    with db.session_scope() as session:
        assert hotspots.open_by_governorate(session, SUPERVISOR, today - timedelta(days=1), today) == {
            "cairo": 1, "giza": 1}
        assert hotspots.open_by_governorate(session, officer, today - timedelta(days=1), today) == {"cairo": 1}
        rows = hotspots.sla_by_entity(session, SUPERVISOR, today - timedelta(days=1), today)
        row = next(r for r in rows if r["entity_id"] == cleaning.id)
        assert (row["cases"], row["met"], row["missed"], row["open_late"]) == (3, 1, 1, 1)
        assert row["compliance"] == 33
        other = SimpleNamespace(role="entity_officer", entity_id=giza.id)
        assert hotspots.sla_by_entity(session, other, today - timedelta(days=1), today) == []
