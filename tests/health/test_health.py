"""/healthz (public, no data, 200 or 503) and /metrics (Prometheus text, allow-list or permission)."""
from __future__ import annotations

import re

from hotline import db, health, settings
from hotline.models import Recording, Transcript, utcnow
from tests.console.conftest import app, client_as, make_call, officer_entity  # noqa: F401 - fixtures


def metric(text: str, name: str) -> int:
    return int(re.search(rf"^shakwa_{name} (-?\d+)$", text, re.M).group(1))


def test_healthz_is_public_and_says_nothing_private(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert {"database", "redis", "vault", "transcription"} <= set(body["checks"])
    assert body["checks"]["redis"] == {"ok": True, "mode": "embedded"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_503_when_the_database_is_gone(app, tmp_path):
    settings.install(settings.get().replace(database_url="postgresql+psycopg://postgres@127.0.0.1:1/none"))
    db.dispose()
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["checks"]["database"]["ok"] is False
    assert "Traceback" not in response.get_data(as_text=True)


def test_healthz_503_when_redis_is_configured_and_down(app):
    settings.install(settings.get().replace(redis_url="redis://127.0.0.1:1/0"))
    body = app.test_client().get("/healthz")
    assert body.status_code == 503 and body.get_json()["checks"]["redis"]["ok"] is False


def test_metrics_counts(app, client_as):
    make_call("1.1")  # a call in progress
    make_call("1.2", outcome="completed")
    with db.session_scope() as session:
        done = Recording(status="stored", created_at=utcnow())
        waiting = Recording(status="pending", created_at=utcnow())
        session.add_all([done, waiting])
        session.flush()
        session.add(Transcript(recording_id=done.id, text="x"))
    scraper = app.test_client()  # the test client comes from 127.0.0.1: allow-listed by default
    response = scraper.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert "# TYPE shakwa_calls_total counter" in text
    assert metric(text, "calls_total") == 2 and metric(text, "calls_in_progress") == 1
    assert metric(text, "recordings_pending") == 1 and metric(text, "transcription_backlog") == 1
    assert metric(text, "queue_depth") >= 0 and metric(text, "job_failures") == 0
    assert metric(text, "up") == 1 and metric(text, "journal_entries") == 0


def test_metrics_refused_outside_the_allow_list_unless_permitted(app, client_as):
    settings.install(settings.get().replace(metrics_allow_from=("10.0.0.0/8",)))
    assert app.test_client().get("/metrics").status_code == 403
    assert client_as("agent").get("/metrics").status_code == 403  # agents have no wallboard.view
    assert client_as("supervisor").get("/metrics").status_code == 200
    outside = app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert outside.status_code == 200


def test_probes_never_raise(tmp_path):
    settings.install(settings.get().replace(database_url="postgresql+psycopg://postgres@127.0.0.1:1/none",
                                            redis_url="redis://127.0.0.1:1/0"))
    healthy, body = health.check()
    assert not healthy and body["checks"]["database"]["ok"] is False
    assert health.queue() == {"queue_depth": -1, "job_failures": -1}
