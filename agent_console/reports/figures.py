"""The numbers behind the reports, counted by the database (scoped by ``hotline.scope``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from hotline import scope, settings
from hotline.cases import AWAITING
from hotline.models import Case, CaseHistory, CaseStatus, Entity, utcnow

GROUPS = {"entity": Case.entity_id, "category": Case.category,
          "governorate": Case.governorate, "status": Case.status}
DONE = (CaseStatus.answered, CaseStatus.closed)


@dataclass(frozen=True)
class Period:
    """Cases received from ``start`` to ``end`` inclusive (local dates)."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        zone = ZoneInfo(settings.get().timezone)
        return (datetime.combine(self.start, time(), zone),
                datetime.combine(self.end + timedelta(days=1), time(), zone))


def period(start: str | None, end: str | None, days: int = 30) -> Period:
    """A period from ISO dates in a query string; the last ``days`` days by default or when bad."""
    today = datetime.now(ZoneInfo(settings.get().timezone)).date()
    try:
        last = date.fromisoformat(end) if end else today
        first = date.fromisoformat(start) if start else last - timedelta(days=days - 1)
    except ValueError:
        last, first = today, today - timedelta(days=days - 1)
    return Period(min(first, last), max(first, last))


def _in(stmt, session: Session, user, span: Period):
    low, high = span.bounds()
    return scope.restrict(stmt.where(Case.created_at >= low, Case.created_at < high), session, user)


def counts(session: Session, user, by: str, span: Period) -> list[tuple[str, int]]:
    """(key, number of cases) per value of ``by``, largest first; entities by code."""
    column = GROUPS[by]
    stmt = _in(select(column, func.count(Case.id)).select_from(Case), session, user, span)
    rows = session.execute(stmt.group_by(column).order_by(func.count(Case.id).desc())).all()
    if by == "entity":
        codes = dict(session.execute(select(Entity.id, Entity.code)).all())
        return [(codes.get(key, ""), n) for key, n in rows]
    return [(key.value if isinstance(key, CaseStatus) else (key or ""), n) for key, n in rows]


def sla(session: Session, user, span: Period) -> dict[str, int | None]:
    """Answered in time / late, still awaiting an answer in time / past due, and cases without a
    due date. Compliance is answered-in-time over every case whose answer was due or came:
    None (shown as "—", never 100 %) while no case has been answered or fallen due."""
    answered_at = (select(CaseHistory.case_id, func.min(CaseHistory.at).label("at"))
                   .where(CaseHistory.to_status == CaseStatus.answered.value)
                   .group_by(CaseHistory.case_id).subquery())
    base = _in(select(func.count(Case.id)).select_from(Case)
               .outerjoin(answered_at, answered_at.c.case_id == Case.id), session, user, span)
    done = Case.status.in_(DONE)
    waiting = Case.status.in_(AWAITING)
    now = utcnow()
    conditions = {
        "met": and_(done, Case.due_at.is_not(None), answered_at.c.at <= Case.due_at),
        "missed": and_(done, Case.due_at.is_not(None), answered_at.c.at > Case.due_at),
        "open_in_time": and_(waiting, Case.due_at >= now),
        "open_late": and_(waiting, Case.due_at < now),
        "no_due_date": Case.due_at.is_(None),
    }
    result: dict[str, int | None] = {name: session.scalar(base.where(cond)) or 0
                                     for name, cond in conditions.items()}
    result["answered"] = result["met"] + result["missed"]
    judged = result["met"] + result["missed"] + result["open_late"]
    result["compliance_percent"] = round(100 * result["met"] / judged) if judged else None
    return result
