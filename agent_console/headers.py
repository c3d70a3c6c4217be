"""Security headers on every response: a strict CSP (no inline script), no framing, no sniffing;
and forms or query strings carrying NUL refused before any view sees them."""
from __future__ import annotations

from flask import Flask, Response, jsonify, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "font-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    "connect-src 'self' ws: wss:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
])


def install(app: Flask) -> None:
    """Add the headers to every response of ``app``; refuse NUL in form fields and query strings."""

    @app.before_request
    def _refuse_nul():
        # No text a person types holds NUL; PostgreSQL cannot store it, so it would be a 500.
        fields = request.args.values() if request.method == "GET" or request.is_json \
            else [*request.args.values(), *request.form.values()]
        if any("\x00" in value for value in fields):
            from flask_babel import gettext as _

            return jsonify(error=_("The text holds a NUL character, which is not allowed.")), 400
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), geolocation=(), microphone=()"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response
