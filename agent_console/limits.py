"""Bad input is a 4xx with a message, never a 500: numbers past 64 bits, JSON nested too deep,
a file where a form takes none.

Installed once by ``create_app`` for every route: ids in URLs (``<int:...>``) are bounded to
what the database stores, so a larger one is a 404 like any id that does not exist; a number in a
query or a form that still reaches the database too large is answered 400; JSON nested past
Python's recursion limit is a malformed body; multipart files are refused by every view except
those in FILE_ENDPOINTS; and a query string holding a national ID or phone number is refused
(it would be written to access logs).
"""
from __future__ import annotations

from flask import Flask, Response, jsonify, request
from flask.json.provider import DefaultJSONProvider
from sqlalchemy.exc import DataError, StatementError
from werkzeug.routing import IntegerConverter

from hotline import redaction

BIGINT = 2**63 - 1  # the largest id PostgreSQL's BIGINT and SQLite's INTEGER hold
MAX_PAGE = 100_000
FILE_ENDPOINTS = frozenset({"places.units"})  # the admin's CSV import of local units
URL_NUMBERS = frozenset({"whatsapp.verify", "static"})  # Meta's hub.challenge is a long number


class BoundedInt(IntegerConverter):
    """``<int:...>`` that matches 0..2**63-1 only: a longer number is no such page (404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", BIGINT)
        super().__init__(url_map, *args, **kwargs)


class SafeJSON(DefaultJSONProvider):
    """Flask's JSON, where a body nested deeper than the parser's recursion limit is a
    ValueError like any other malformed body (``get_json(silent=True)`` then gives None)."""

    def loads(self, s, **kwargs):
        return loads(s, **kwargs)


def loads(text, **kwargs):
    """``json.loads``; a RecursionError (``[[[[…``) becomes a ValueError."""
    import json

    try:
        return json.loads(text, **kwargs)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def page_number(args, name: str = "page", default: int = 1) -> int:
    """A page number from the query: 1..MAX_PAGE, whatever was sent."""
    value = args.get(name, default, type=int) or default
    return min(max(value, 1), MAX_PAGE)


def _bad_request(message: str, status: int = 400):
    if request.path.startswith(("/api/", "/open311/")) or request.is_json:
        return jsonify({"error": message}), status
    return Response(message, status, mimetype="text/plain")


def install(app: Flask) -> None:
    """Apply the limits to every route of ``app`` (call before registering blueprints)."""
    app.url_map.converters["int"] = BoundedInt
    app.json = SafeJSON(app)

    @app.before_request
    def _no_stray_files():
        if request.files and request.endpoint not in FILE_ENDPOINTS:
            return _bad_request("هذا النموذج لا يقبل ملفات · This form takes no files "
                                f"(one was sent as {next(iter(request.files))!r}).")
        return None

    @app.before_request
    def _no_identity_in_urls():
        # A URL is written to access logs, proxies and browser history: an identity look-up is a
        # POST (/cases/find), and no query string may carry a national ID or phone number.
        if request.endpoint not in URL_NUMBERS and any(
                redaction.contains_identity(v) for values in request.args.listvalues() for v in values):
            return _bad_request("لا يوضع رقم قومي أو هاتف في الرابط؛ ابحث بالهوية من صفحة البحث بالهوية "
                                "· No national ID or phone number in a URL: find cases by identity with "
                                "the identity look-up (a POST to /cases/find).")
        return None

    @app.errorhandler(OverflowError)
    def _overflow(_exc):
        return _bad_request("رقم أكبر من المسموح · A number in the request is too large.")

    @app.errorhandler(DataError)
    @app.errorhandler(StatementError)
    def _out_of_range(exc):
        if isinstance(exc, DataError) or isinstance(getattr(exc, "orig", None), OverflowError):
            return _bad_request("رقم أكبر من المسموح · A number in the request is too large.")
        raise exc
