"""``/api/v1``: list and get cases, change a case's status — with a personal bearer token."""
from __future__ import annotations

from functools import wraps

from flask import g, jsonify, request

from agent_console import accounts, gate, limits, search
from agent_console.api import bp
from agent_console.api.forms import status_change
from agent_console.database import session
from hotline import cases as lifecycle, scope, security
from hotline.errors import ValidationError
from hotline.models import Case, User


def token_requires(*permissions: str):
    """Authenticate by ``Authorization: Bearer <token>`` and check ``api.use`` + a permission."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            token = header[7:].strip() if header.lower().startswith("bearer ") else ""
            account = accounts.by_token(session(), token)
            if account is None:
                return _error("invalid or missing API token", 401)
            if not account.can("api.use") or not any(account.can(p) for p in permissions):
                return _error("this token's user may not do that", 403)
            g.api_user = account
            return view(*args, **kwargs)

        checked.__permissions__ = ("api.use", *permissions)
        return checked

    return decorate


def _error(message: str, status: int):
    return jsonify({"error": message}), status


def _scope() -> tuple[int, ...] | None:
    """Entity officers see only their entity and its units; everyone else every case."""
    return scope.visible_entity_ids(session(), g.api_user)


def _case_json(case: Case, full: bool = False) -> dict:
    data = {"number": case.number, "status": case.status.value, "channel": case.channel,
            "category": case.category, "governorate": case.governorate,
            "entity": case.entity.code if case.entity else None,
            "created_at": case.created_at.isoformat(),
            "due_at": case.due_at.isoformat() if case.due_at else None}
    if full:
        db = session()
        seen = gate.view(db, case, g.api_user)  # identity and free text as this token's user may
        data.update(description=seen.description, district=seen.district, address=seen.address,
                    identity=seen.identity,
                    history=[{"at": h.at.isoformat(), "actor": h.actor, "from": h.from_status,
                              "to": h.to_status, "note": h.note} for h in seen.history()])
        db.commit()
    return data


def _find(number: str) -> Case | None:
    case = lifecycle.find_by_number(session(), number)
    scope = _scope()
    if case is None or (scope is not None and case.entity_id not in scope):
        return None
    return case


@bp.get("/cases")
@token_requires("cases.view", "cases.view_entity")
def list_cases():
    args = request.args
    filters = search.Filters(q=args.get("q", "")[:200], status=args.get("status", ""),
                             category=args.get("category", ""), governorate=args.get("governorate", ""),
                             number=args.get("number", ""), entity_ids=_scope())
    number = limits.page_number(args)
    per_page = min(max(args.get("per_page", 25, type=int) or 25, 1), 100)
    rows, more = search.page(session(), filters, number, per_page)
    session().commit()
    return jsonify({"cases": [_case_json(c) for c in rows], "page": number, "more": more})


@bp.get("/cases/<number>")
@token_requires("cases.view", "cases.view_entity")
def get_case(number: str):
    case = _find(number)
    if case is None:
        return _error("no such case", 404)
    return jsonify(_case_json(case, full=True))


@bp.post("/cases/<number>/status")
@token_requires("cases.edit", "cases.answer")
def set_status(number: str):
    case = _find(number)
    if case is None:
        return _error("no such case", 404)
    db = session()
    try:
        status, note = status_change(request.get_json(silent=True))
        if not security.may_set_status(g.api_user.role, status.value):
            return _error(f"this token's user may not set a case {status.value}: "
                          "closing belongs to the call centre", 403)
        user = db.get(User, g.api_user.id)
        lifecycle.change_status(db, case, status, actor=user.username, user=user, note=note)
        db.commit()
    except ValidationError as exc:
        db.rollback()
        return _error(str(exc), 422)
    return jsonify(_case_json(case))


