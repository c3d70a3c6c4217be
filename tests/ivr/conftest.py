"""IVR fixtures: a clock inside or outside office hours, and one call through the IVR in-process."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hotline import db, events
from hotline.models import Call, CallStep, Case, Recording
from ivr import testing

CAIRO = ZoneInfo("Africa/Cairo")
SUNDAY_10AM = datetime(2025, 1, 5, 10, 0, tzinfo=CAIRO)  # a working day, office hours
FRIDAY_10AM = datetime(2025, 1, 3, 10, 0, tzinfo=CAIRO)  # the weekend: nobody on duty
COMPLAINT = "1 1 1 1 29001011234567# 1 3"


@pytest.fixture
def published():
    """Every event published while the test runs, in order."""
    seen: list = []
    unsubscribe = events.subscribe(seen.append)
    yield seen
    events.wait_dispatched()
    unsubscribe()


@pytest.fixture
def place_call(db_url):
    """Place one call: ``place_call("1 1 ...", on_duty=True, **fake_asterisk options)``."""

    def place(keys: str = COMPLAINT, *, on_duty: bool = True, **options):
        sim = testing.fake_asterisk(keys, **options)
        moment = SUNDAY_10AM if on_duty else FRIDAY_10AM
        outcome = testing.run_in_process(sim, clock=lambda: moment)
        return sim, outcome.call
    return place


def rows(sim):
    """The Call, its steps, its case and recordings, as saved."""
    with db.session_scope() as session:
        call = session.scalar(select(Call).where(Call.uniqueid == sim.env["agi_uniqueid"]))
        steps = list(session.scalars(select(CallStep).where(CallStep.call_id == call.id).order_by(CallStep.seq)))
        case = session.scalar(select(Case).where(Case.call_id == call.id)
                              .options(selectinload(Case.complainant)))
        recordings = list(session.scalars(select(Recording).where(Recording.call_id == call.id)))
        return call, steps, case, recordings
