"""What every page shares: the agent's state for the screen pop, the favicon, and error pages in
the reader's language with the navigation (never a bare English "Not Found")."""
from __future__ import annotations

import logging

from flask import Flask, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)
PAGES = {403: "forbidden", 404: "not_found", 405: "not_found", 500: "failed"}


def install(app: Flask) -> None:
    """Register the context processor, the error handlers and ``/favicon.ico``."""

    @app.context_processor
    def agent_state() -> dict:
        """``my_state``: the signed-in agent's state, so the page knows whether to pop calls."""
        if not (current_user.is_authenticated and current_user.can("calls.take")):
            return {"my_state": None}
        from agent_console import agents
        from agent_console.database import session

        try:
            row = agents.state_of(session(), current_user.id)
            session().commit()
            return {"my_state": row}
        except SQLAlchemyError:
            session().rollback()
            return {"my_state": None}

    for status in PAGES:
        app.register_error_handler(status, _error_page(status))

    @app.get("/favicon.ico")
    def favicon():
        return redirect(url_for("static", filename="favicon.svg"), code=301)

    favicon.__public__ = True


def _error_page(status: int):
    def handle(error):
        if request.path.startswith(("/api/", "/open311/")) or request.accept_mimetypes.best == "application/json":
            from flask import jsonify

            return jsonify({"error": PAGES[status]}), status
        if status == 500:
            log.error("500 on %s: %s", request.path, getattr(error, "original_exception", error))
        return render_template("error.html", status=status, kind=PAGES[status]), status

    return handle
