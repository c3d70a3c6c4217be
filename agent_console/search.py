"""Case list and search: filters, Arabic-normalised full text, complaint number, national ID.

Pages are fetched as ``per_page + 1`` rows (is there a next page?) instead of counting a
million rows; every filter is served by an index (migration 0002_console).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from agent_console import search_index
from agent_console.models import CaseSearch
from hotline import pii, settings
from hotline.cases import AWAITING
from hotline.arabic import normalise
from hotline.models import Call, Case, CaseStatus, Complainant, utcnow

OPEN = [s for s in CaseStatus if s not in (CaseStatus.closed, CaseStatus.rejected, CaseStatus.duplicate)]


@dataclass
class Filters:
    """What the case list is narrowed to; empty fields do not filter."""

    q: str = ""
    number: str = ""
    national_id: str = ""  # identity look-ups come from a POST (cases.identity.find), never a URL
    phone: str = ""
    status: str = ""
    category: str = ""
    governorate: str = ""
    entity_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    sla_breached: bool = False
    entity_ids: tuple[int, ...] | None = None  # entity officers: their entity and its units


def query(session: Session, filters: Filters) -> Select:
    """The SELECT of cases matching ``filters``, newest first."""
    stmt = select(Case)
    if filters.number:
        stmt = stmt.where(Case.number == filters.number.strip())
    if filters.national_id:
        digits = pii.normalise("national_id", filters.national_id)
        # Resolved first: a literal id list lets the planner use the index instead of walking
        # every case in date order past a sub-plan that matches nothing.
        owners = session.scalars(select(Complainant.id).where(
            Complainant.national_id_hash == pii.lookup_hash("national_id", digits))).all()
        stmt = stmt.where(Case.complainant_id.in_(owners))
    if filters.phone:
        digest = pii.lookup_hash("phone", filters.phone)
        owners = session.scalars(select(Complainant.id).where(Complainant.phone_hash == digest)).all()
        calls = session.scalars(select(Call.id).where(Call.caller_hash == digest)).all()
        stmt = stmt.where(Case.complainant_id.in_(owners) | Case.call_id.in_(calls))
    if filters.q and normalise(filters.q):
        words = normalise(filters.q).split()
        matching = select(CaseSearch.case_id)
        for word in words[:8]:
            matching = matching.where(CaseSearch.body.like(f"%{_escape(word)}%", escape="\\"))
        stmt = stmt.where(Case.id.in_(matching))
    for column, value in ((Case.status, filters.status), (Case.category, filters.category),
                          (Case.governorate, filters.governorate), (Case.entity_id, filters.entity_id)):
        if value:
            stmt = stmt.where(column == value)
    if filters.entity_ids is not None:
        stmt = stmt.where(Case.entity_id.in_(filters.entity_ids))
    zone = ZoneInfo(settings.get().timezone)
    if filters.date_from:
        stmt = stmt.where(Case.created_at >= datetime.combine(filters.date_from, time(), zone))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), zone)
        stmt = stmt.where(Case.created_at < end)
    if filters.sla_breached:
        stmt = stmt.where(Case.due_at < utcnow(), Case.status.in_(AWAITING))
    return stmt.order_by(Case.created_at.desc(), Case.id.desc())


def page(session: Session, filters: Filters, number: int = 1, per_page: int = 25) -> tuple[list[Case], bool]:
    """One page of matching cases and whether a next page exists."""
    if filters.q:
        search_index.catch_up(session)
    number = max(1, number)
    rows = session.scalars(query(session, filters).offset((number - 1) * per_page).limit(per_page + 1)).all()
    return list(rows[:per_page]), len(rows) > per_page


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
