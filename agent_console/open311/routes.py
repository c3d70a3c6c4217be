"""``/open311/v2``: services and requests as JSON or XML, authenticated by an entity's API key.

A key belongs to one entity; its requests see that entity's cases and its units' (``hotline.scope``)
and create cases routed to that entity. Errors follow the spec: a list of {code, description}.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from flask import Response, g, jsonify, request
from sqlalchemy import select

from agent_console.database import session
from agent_console.open311 import bp, georeport, keys
from hotline import audit, cases, reference, scope, security
from hotline.errors import ValidationError
from hotline.models import Case, Complainant, Entity

MAX_REQUESTS = 1000  # the spec's suggested page size
PERMISSIONS = ("cases.view_entity",)
assert all(security.has_permission(security.ENTITY_OFFICER, p) for p in PERMISSIONS)


@dataclass(frozen=True)
class KeyViewer:
    """An entity system seen as an entity officer of that entity (for ``hotline.scope``)."""

    entity_id: int
    key_id: int
    role: str = security.ENTITY_OFFICER
    id: None = None  # not a console user: audited as ``actor``

    @property
    def actor(self) -> str:
        return f"open311:{self.key_id}"


def _reply(rows, root: str, item: str, fmt: str, status: int = 200):
    if fmt == "xml":
        return Response(georeport.to_xml(root, item, rows), status=status, mimetype="text/xml")
    return jsonify(rows), status


def _error(code: int, description: str, fmt: str = "json"):
    return _reply([{"code": code, "description": description}], "errors", "error", fmt, code)


def keyed(view):
    """Require a valid ``api_key`` (X-Api-Key header or POST body; never the query string);
    the format must be json/xml."""

    @wraps(view)
    def checked(*args, fmt: str = "json", **kwargs):
        if fmt not in ("json", "xml"):
            return _error(404, "format must be json or xml")
        if "api_key" in request.args:  # a URL ends up in access logs and proxies' caches
            return _error(400, "api_key: send it in the X-Api-Key header (or the POST body), "
                          "never in the URL", fmt)
        given = request.form.get("api_key") or request.headers.get("X-Api-Key", "")
        key = keys.lookup(session(), given.strip())
        if key is None:
            return _error(401, "invalid or missing api_key", fmt)
        g.open311 = KeyViewer(entity_id=key.entity_id, key_id=key.id)
        return view(*args, fmt=fmt, **kwargs)

    # No console session: the key stands for an entity officer of its entity, with that role's
    # permissions (and the same hotline.scope).
    checked.__permissions__ = PERMISSIONS
    return checked


@bp.get("/services.<fmt>")
@keyed
def services(fmt):
    return _reply(georeport.services(), "services", "service", fmt)


@bp.get("/services/<code>.<fmt>")
@keyed
def service_definition(code, fmt):
    if reference.category(code) is None:
        return _error(404, f"no service {code!r}", fmt)
    return _reply({"service_code": code, "attributes": []} if fmt == "json" else
                  [{"service_code": code}], "service_definition", "service", fmt)


@bp.get("/requests.<fmt>")
@keyed
def list_requests(fmt):
    db, args = session(), request.args
    stmt = scope.visible_cases(db, g.open311)
    if args.get("service_request_id"):
        stmt = stmt.where(Case.number.in_([n.strip() for n in args["service_request_id"].split(",")]))
    if args.get("service_code"):
        stmt = stmt.where(Case.category.in_(args["service_code"].split(",")))
    if args.get("status") in ("open", "closed"):
        closed = Case.status.in_(georeport.CLOSED)
        stmt = stmt.where(closed if args["status"] == "closed" else ~closed)
    for name, op in (("start_date", "__ge__"), ("end_date", "__le__")):
        if args.get(name):
            try:
                moment = datetime.fromisoformat(args[name].replace("Z", "+00:00"))
            except ValueError:
                return _error(400, f"{name}: expected a w3c datetime", fmt)
            if moment.tzinfo is None:
                return _error(400, f"{name}: give a time zone", fmt)
            stmt = stmt.where(getattr(Case.created_at, op)(moment))
    rows = db.scalars(stmt.order_by(Case.created_at.desc()).limit(MAX_REQUESTS)).all()
    docs = [georeport.request_doc(db, c, g.open311) for c in rows]
    db.commit()  # identity views were audited
    return _reply(docs, "service_requests", "request", fmt)


@bp.get("/requests/<number>.<fmt>")
@keyed
def get_request(number, fmt):
    db = session()
    found = db.scalar(select(Case).where(Case.number == number))
    if found is None or not scope.can_see(db, g.open311, found):
        return _error(404, f"no service request {number!r}", fmt)
    doc = georeport.request_doc(db, found, g.open311)
    db.commit()
    return _reply([doc], "service_requests", "request", fmt)


def _coordinate(text: str | None, limit: float) -> float | None:
    """A latitude or longitude in decimal degrees; ValueError for nan, inf, 1e309 (which float()
    accepts and strict JSON cannot carry) or a value out of range."""
    if not text:
        return None
    value = float(text)
    if not math.isfinite(value) or abs(value) > limit:
        raise ValueError(text)
    return value


@bp.post("/requests.<fmt>")
@keyed
def create_request(fmt):
    db, form = session(), request.values
    code = form.get("service_code", "").strip()
    if reference.category(code) is None:
        return _error(400, "service_code: not a known service", fmt)
    description = form.get("description", "").strip()
    if not description:
        return _error(400, "description: required", fmt)
    try:
        lat = _coordinate(form.get("lat"), 90)
        long = _coordinate(form.get("long"), 180)
    except ValueError:
        return _error(400, "lat/long: expected decimal degrees (lat -90..90, long -180..180)", fmt)
    entity = db.get(Entity, g.open311.entity_id)
    person = None
    name = " ".join(p for p in (form.get("first_name", ""), form.get("last_name", "")) if p).strip()
    if name or form.get("phone"):
        person = Complainant(name=name or None, phone=form.get("phone") or None)
        person.give_consent(False, "open311")  # consent is asked only by the hotline itself
    try:
        case = cases.create_case(db, channel="open311", actor=f"open311:{g.open311.key_id}",
                                 category=code, governorate=entity.governorate,
                                 description=description[:5000], complainant=person)
    except ValidationError as exc:
        db.rollback()
        return _error(400, str(exc), fmt)
    case.address = form.get("address_string", "").strip()[:500] or None
    case.latitude, case.longitude = lat, long
    cases.route(db, case, entity, actor=f"open311:{g.open311.key_id}")
    audit.record(db, "open311.request_created", actor=f"open311:{g.open311.key_id}",
                 object_type="case", object_id=case.id, case_id=case.id)
    db.commit()
    return _reply([{"service_request_id": case.number, "service_notice": "", "account_id": None}],
                  "service_requests", "request", fmt, 201)
