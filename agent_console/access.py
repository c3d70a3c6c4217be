"""Permission checks for routes and Socket.IO events: one decorator, never a role name.

Every view is marked either ``requires(...)`` or ``public``; a test walks the URL map and
fails on any endpoint that is neither.
"""
from __future__ import annotations

import logging
from functools import wraps
from typing import Callable

from flask import abort, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from hotline import security

log = logging.getLogger(__name__)


def allowed(*permissions: str) -> bool:
    """True when the signed-in user holds any of ``permissions``."""
    if not current_user.is_authenticated or not current_user.active:
        return False
    return any(security.has_permission(current_user.role, p) for p in permissions)


def requires(*permissions: str) -> Callable:
    """Let the request through only for a signed-in user holding any of ``permissions``."""
    for permission in permissions:
        if permission not in security.PERMISSIONS:
            raise KeyError(f"unknown permission {permission!r}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def checked(*args, **kwargs):
            if not current_user.is_authenticated:
                from agent_console.extensions import login_manager

                return login_manager.unauthorized()
            if not allowed(*permissions):
                abort(403)
            return view(*args, **kwargs)

        checked.__permissions__ = permissions
        return checked

    return decorate


def public(view: Callable) -> Callable:
    """Mark a view that anyone may reach (the login page, static files)."""
    view.__public__ = True
    return view


def socket_requires(*permissions: str) -> Callable:
    """The Socket.IO twin of :func:`requires`: a refused event is answered with an error.

    An event the database cannot answer now (down, or no connection free) is answered
    ``{"error": "unavailable"}``, which the page retries (live.js ``Shakwa.ask``).
    """

    def decorate(handler: Callable) -> Callable:
        @wraps(handler)
        def checked(self, *args):
            try:
                if not allowed(*permissions):
                    return {"error": "forbidden", "sid": request.sid}
                return handler(self, *args)
            except SQLAlchemyError as exc:
                log.warning("socket event %s not answered: database unavailable (%s)",
                            handler.__name__, type(exc).__name__)
                return {"error": "unavailable"}

        checked.__permissions__ = permissions
        return checked

    return decorate


def signed_in(view: Callable) -> Callable:
    """For pages every signed-in user has (the account page, sign-out)."""
    checked = requires(*security.PERMISSIONS)(view)
    checked.__permissions__ = ("any",)
    return checked
