"""The agent console: live calls, screen pop, cases, review, wallboard, admin and the JSON API."""
from __future__ import annotations

from typing import TYPE_CHECKING

# Nothing heavy at import time: ``run_ivr.py console`` imports this package before it lets
# gevent patch the standard library, and Flask, Socket.IO, Redis and the database driver must be
# imported after that (agent_console/commands/console.py).
if TYPE_CHECKING:
    from flask import Flask

    from hotline.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build a console app for ``settings`` (default: the process's settings)."""
    from datetime import timedelta

    from flask import Flask, redirect, request, session as cookie, url_for
    from flask_login import current_user
    from flask_socketio import SocketIO

    from agent_console import access, database, headers, limits, live
    from agent_console.extensions import babel, csrf, login_manager
    from hotline import events, keyfiles, settings as hotline_settings

    if settings is not None:
        hotline_settings.install(settings)
    conf = hotline_settings.get()
    app = Flask(__name__)
    secure = conf.console_secure_cookies
    app.config.update(
        SECRET_KEY=conf.secret_key or keyfiles.read_or_create(
            conf.keys_dir / "secret.key", setting="secret_key"),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax", REMEMBER_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        BABEL_DEFAULT_LOCALE=conf.default_language, BABEL_DEFAULT_TIMEZONE=conf.timezone,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024, SHAKWA_SETTINGS=conf)

    database.install(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=_locale, timezone_selector=lambda: conf.timezone)
    headers.install(app)
    limits.install(app)  # bounded ids, deep JSON, stray files: 4xx, never 500 (issue 14)
    _register_blueprints(app)
    socketio = SocketIO(app, async_mode=async_mode(), manage_session=True,
                        message_queue=conf.redis_url or None, channel=events.SOCKETIO_CHANNEL)
    live.install(app, socketio)
    from agent_console import formatting, pages
    formatting.install(app)
    pages.install(app)  # agent state for the screen pop, error pages, favicon

    @app.get("/")
    @access.public
    def index():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        return redirect(url_for(_home_endpoint()))

    @app.get("/lang/<code>")
    @access.public
    def language(code: str):
        if code in conf.languages:
            cookie["lang"] = code
        target = request.referrer or url_for("index")
        return redirect(target if target.startswith(request.host_url) else url_for("index"))

    app.view_functions["static"].__public__ = True
    return app


def async_mode() -> str:
    """``gevent`` when gevent has patched this process (``run_ivr.py console``, gunicorn's gevent
    worker), else ``threading``. Never left to Flask-SocketIO to guess: with gevent installed it
    would pick gevent in an unpatched process, where a blocking call stops every socket."""
    import sys

    if "gevent" in sys.modules:
        from gevent import monkey

        if monkey.is_module_patched("socket"):
            return "gevent"
    return "threading"


def _locale() -> str:
    from flask import session as cookie

    from hotline import settings as hotline_settings

    conf = hotline_settings.get()
    chosen = cookie.get("lang")
    return chosen if chosen in conf.languages else conf.default_language


def _home_endpoint() -> str:
    from agent_console.access import allowed

    for permission, endpoint in (("calls.view_live", "calls.live"), ("wallboard.view", "wallboard.board"),
                                 ("review.score", "review.queue"), ("cases.view", "cases.search"),
                                 ("cases.view_entity", "inbox.inbox"),
                                 ("users.manage", "admin.users")):
        if allowed(permission):
            return endpoint
    return "auth.account"


def _register_blueprints(app: Flask) -> None:
    from agent_console.admin import bp as admin
    from agent_console.api import bp as api
    from agent_console.auth import bp as auth
    from agent_console.calls import bp as calls
    from agent_console.cases import bp as cases
    from agent_console.extensions import csrf
    from agent_console.review import bp as review
    from agent_console.wallboard import bp as wallboard
    from agent_console.work import bp as work

    from agent_console.jobs import bp as jobs

    for blueprint in (auth, calls, cases, review, wallboard, admin, jobs, work):
        app.register_blueprint(blueprint)
    from agent_console.whatsapp import bp as whatsapp  # webhook is CSRF-exempt in its routes.py
    app.register_blueprint(whatsapp)
    from agent_console.sms import bp as sms  # survey replies by SMS (issue 18), CSRF-exempt too
    app.register_blueprint(sms)
    csrf.exempt(api)  # token-authenticated, no cookies: CSRF cannot apply
    app.register_blueprint(api, url_prefix="/api/v1")
    _register_entity_blueprints(app)
    from agent_console.health import bp as health  # /healthz, /metrics, the degraded banner
    app.register_blueprint(health)
    from agent_console.opendata import bp as opendata  # public statistics (issue 16)
    from agent_console.places import bp as places  # places, clusters, map, charts (issue 16)
    for blueprint in (places, opendata):
        app.register_blueprint(blueprint)


def _register_entity_blueprints(app: Flask) -> None:
    """Entity inbox, Open311, audit trail and reports (issue 7)."""
    from agent_console.audit_view import bp as audit_view
    from agent_console.extensions import csrf
    from agent_console.inbox import bp as inbox
    from agent_console.open311 import bp as open311
    from agent_console.reports import bp as reports

    for blueprint in (inbox, audit_view, reports):
        app.register_blueprint(blueprint)
    csrf.exempt(open311)  # API-key authenticated, no cookies: CSRF cannot apply
    app.register_blueprint(open311)
