"""The supervisor's wallboard: the figures of a contact centre, from queue events and the database."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from agent_console.models import AgentCall
from agent_console.wallboard import board
from hotline import callqueue, db, events
from hotline.models import QueueCall, utcnow
from tests.shift import world
from tests.support.pages import text


def test_queue_events_are_counted_once_whoever_hears_them(app):
    with db.session_scope() as session:
        for _twice in range(2):  # two consoles on one Redis stream both record it
            callqueue.record(session, events.Event("queue.caller_join", payload={"uniqueid": "9.1"}))
            callqueue.record(session, events.Event("queue.agent_connect",
                                                   payload={"uniqueid": "9.1", "hold_time": 8, "agent": "101"}))
        callqueue.record(session, events.Event("queue.caller_abandon", payload={"uniqueid": "9.1", "hold_time": 99}))
        row = session.scalar(select(QueueCall).where(QueueCall.uniqueid == "9.1"))
        assert session.scalar(select(func.count()).select_from(QueueCall)) == 1
        assert (row.hold_seconds, row.agent, row.abandoned_at) == (8, "101", None)  # answered stays answered


def test_wallboard_figures_of_a_shift(app):
    world.build()
    with db.session_scope() as session:
        figures = board.figures(session)
        # One caller answered after 12 s (within the 20 s target), one gave up after 75 s.
        assert (figures["answered"], figures["abandoned"], figures["asa"]) == (1, 1, 12)
        assert figures["service_level"] == 50 and figures["service_level_seconds"] == 20
        assert figures["aht"] is None  # no call closed yet
        assert sum(figures["per_hour"]) == 5 and len(figures["per_hour"]) == 24
        agent = next(p for p in figures["people"] if p["name"] == "agent")
        assert agent["state"] == "on_call" and agent["seconds"] >= 0
        assert figures["agents"]["on_call"] == 1
        assert figures["work_queue"] == 2 and figures["sla_breached"] == 1
        row = session.scalar(select(AgentCall))
        row.taken_at, row.closed_at = utcnow() - timedelta(minutes=4), utcnow()
        session.flush()
        assert 239 <= board.handle_time(session, board.midnight(utcnow())) <= 241


def test_wallboard_page_shows_every_figure_and_agent(app, client_as):
    world.build()
    page = client_as("supervisor").get("/wallboard").get_data(as_text=True)
    words = text(page)
    for title in ("مكالمات في الانتظار", "أطول انتظار", "مستوى الخدمة: رد خلال ٢٠ ثانية", "مكالمات متروكة اليوم",
                  "متوسط سرعة الرد", "متوسط مدة المعالجة", "المكالمات في كل ساعة اليوم", "المدة في الحالة"):
        assert title in words
    assert 'id="wb-service_level" class="figure" data-unit="percent">٥٠٪<' in page
    assert 'id="wb-asa" class="figure" data-unit="clock">٠:١٢<' in page
    assert '<tr data-agent="' in page and "في مكالمة" in words
