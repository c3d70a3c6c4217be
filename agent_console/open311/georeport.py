"""GeoReport v2 documents: services and service requests as the spec names their fields.

Identity is not a GeoReport field; it travels in ``extended_attributes`` (the GeoReport v2
extensions' place for extra data). Identity and free text pass the identity gate
(agent_console/gate.py) exactly as the inbox's do: masked and redacted without consent.
"""
from __future__ import annotations

import math
from xml.etree import ElementTree

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_console import gate
from hotline import reference
from hotline.models import Case, CaseHistory, CaseStatus, Response

SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
REQUEST_FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code",
                  "description", "agency_responsible", "service_notice", "requested_datetime",
                  "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                  "lat", "long", "media_url")
CLOSED = (CaseStatus.answered, CaseStatus.closed, CaseStatus.rejected, CaseStatus.duplicate)


def service(category) -> dict:
    """One category as a GeoReport service."""
    return {"service_code": category.code, "service_name": category.name_ar,
            "description": f"{category.name_ar} — {category.name_en}", "metadata": False,
            "type": "realtime", "keywords": category.name_en.lower().replace(" ", ","),
            "group": "complaints"}


def services() -> list[dict]:
    """Every category, in menu order."""
    return [service(c) for c in reference.categories()]


def _finite(value: float | None) -> float | None:
    """A coordinate strict JSON can carry (a stored nan or inf from before is left out)."""
    return value if value is not None and math.isfinite(value) else None


def _stamp(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _notes(session: Session, case: Case, seen: gate.CaseView) -> str:
    answer = session.scalar(select(Response.body).where(Response.case_id == case.id)
                            .order_by(Response.id.desc()).limit(1))
    if answer:
        return seen.text(answer)
    note = session.scalar(select(CaseHistory.note).where(CaseHistory.case_id == case.id,
                                                         CaseHistory.note.is_not(None))
                          .order_by(CaseHistory.id.desc()).limit(1))
    return seen.text(note)


def request_doc(session: Session, case: Case, viewer) -> dict:
    """One case as a GeoReport service request, as the key's entity system may see it."""
    category = reference.category(case.category) if case.category else None
    seen = gate.view(session, case, viewer, channel="open311")
    shown = seen.identity
    return {
        "service_request_id": case.number,
        "status": "closed" if case.status in CLOSED else "open",
        "status_notes": _notes(session, case, seen),
        "service_name": category.name_ar if category else "",
        "service_code": case.category or "",
        "description": seen.description,
        "agency_responsible": case.entity.name_ar if case.entity else "",
        "service_notice": "",
        "requested_datetime": _stamp(case.created_at),
        "updated_datetime": _stamp(case.updated_at),
        "expected_datetime": _stamp(case.due_at),
        "address": " ".join(p for p in (seen.district, seen.address) if p),
        "address_id": "", "zipcode": "",
        "lat": _finite(case.latitude), "long": _finite(case.longitude),
        "media_url": "",
        "extended_attributes": {
            "complaint_status": case.status.value, "governorate": case.governorate,
            "consent": shown["consent"], "identity_masked": shown["masked"], "name": shown["name"],
            "phone": shown["phone"], "national_id": shown["national_id"]},
    }


def to_xml(root: str, item: str, rows: list[dict]) -> bytes:
    """The XML form of a list of documents (``<services><service>…``)."""
    top = ElementTree.Element(root)
    for row in rows:
        _fill(ElementTree.SubElement(top, item), row)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(top, encoding="utf-8")


def _fill(element, row: dict) -> None:
    for name, value in row.items():
        child = ElementTree.SubElement(element, name)
        if isinstance(value, dict):
            _fill(child, value)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = str(value)
