"""One database session per request (or Socket.IO event), closed when the context ends."""
from __future__ import annotations

from flask import Flask, g
from sqlalchemy.orm import Session

from hotline import db


def session() -> Session:
    """The current request's session; commit it to keep changes."""
    if "db_session" not in g:
        g.db_session = Session(db.engine(), expire_on_commit=False)
    return g.db_session


def install(app: Flask) -> None:
    """Close (and roll back anything uncommitted in) the session at the end of each context."""

    @app.teardown_appcontext
    def _close(_exc):
        opened = g.pop("db_session", None)
        if opened is not None:
            opened.close()


def get_or_404(model, ident):
    """The row of ``model`` with this primary key, or a 404 response."""
    from flask import abort

    row = session().get(model, ident)
    if row is None:
        abort(404)
    return row
