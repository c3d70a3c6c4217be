"""``GET /healthz`` (public, no data), ``GET /metrics`` (allow-listed scrapers or wallboard.view)."""
from __future__ import annotations

import ipaddress

from flask import Response, abort, current_app, jsonify, request

from flask_babel import lazy_gettext as _l

from agent_console.access import allowed, public
from agent_console.health import bp
from hotline import health, settings

DEGRADED = _l("Degraded: live updates are paused until the connection to the event server (Redis) is back; "
              "calls and cases are still saved.")
METRICS = (  # name, type, help
    ("calls_total", "counter", "Calls the IVR has recorded."),
    ("calls_in_progress", "gauge", "Calls started and not yet ended."),
    ("queue_depth", "gauge", "Background jobs waiting (-1: queue unreachable)."),
    ("transcription_backlog", "gauge", "Recordings without a transcript."),
    ("job_failures", "gauge", "Background jobs that failed for good (-1: queue unreachable)."),
    ("recordings_pending", "gauge", "Recordings not yet encrypted into the vault."),
    ("journal_entries", "gauge", "Calls journaled during a database outage, not yet replayed."),
)


@bp.get("/healthz")
@public
def healthz():
    """Database, Redis, vault and transcription status: 200 when serving, 503 when not."""
    healthy, body = health.check()
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _scraper_allowed() -> bool:
    address = ipaddress.ip_address((request.remote_addr or "0.0.0.0").split("%")[0])
    return any(address in ipaddress.ip_network(net, strict=False)
               for net in settings.get().metrics_allow_from)


@bp.get("/metrics")
def metrics():
    """Prometheus text exposition of the operating figures."""
    if not (_scraper_allowed() or allowed("wallboard.view")):
        abort(403)
    counts = health.figures()
    up = health.check()[0]
    lines = ["# HELP shakwa_up 1 when the database, Redis and the vault all answer.",
             "# TYPE shakwa_up gauge", f"shakwa_up {int(up)}"]
    for name, kind, text in METRICS:
        lines += [f"# HELP shakwa_{name} {text}", f"# TYPE shakwa_{name} {kind}",
                  f"shakwa_{name} {counts[name]}"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain; version=0.0.4; charset=utf-8")


# Checked in the view: an allow-listed scraper (metrics_allow_from), or a user with this permission.
metrics.__permissions__ = ("wallboard.view",)


@bp.app_context_processor
def degraded_banner() -> dict:
    """``degraded``: the banner text while Redis (the live updates) is unreachable, else None."""
    if not settings.get().redis_url:
        return {"degraded": None}
    probe = current_app.extensions.setdefault("shakwa.redis_probe", health.Cached(health.redis))
    return {"degraded": None if probe.get()["ok"] else DEGRADED}
