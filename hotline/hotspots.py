"""Where and when complaints concentrate: open complaints per governorate, clusters as points,
complaints per week by governorate and category, and SLA compliance per entity.

Every count goes through ``hotline.scope`` for the viewer, like the reports do.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from hotline import scope, settings
from hotline.models import Case, CaseHistory, CaseStatus, Cluster, utcnow
from hotline.places import OPEN

DONE = (CaseStatus.answered, CaseStatus.closed)


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local dates ``start``..``end`` inclusive as UTC-aware instants [low, high)."""
    zone = ZoneInfo(settings.get().timezone)
    return datetime.combine(start, time(), zone), datetime.combine(end + timedelta(days=1), time(), zone)


def _received(stmt, session: Session, viewer, start: date, end: date, category: str | None):
    low, high = bounds(start, end)
    stmt = stmt.where(Case.created_at >= low, Case.created_at < high)
    if category:
        stmt = stmt.where(Case.category == category)
    return scope.restrict(stmt, session, viewer)


def open_by_governorate(session: Session, viewer, start: date, end: date,
                        category: str | None = None) -> dict[str, int]:
    """Open complaints received in the period, per governorate slug."""
    stmt = _received(select(Case.governorate, func.count(Case.id)).where(Case.status.in_(OPEN)),
                     session, viewer, start, end, category)
    return {slug: n for slug, n in session.execute(stmt.group_by(Case.governorate)) if slug}


def cluster_points(session: Session, viewer, start: date, end: date,
                   category: str | None = None) -> list[dict]:
    """Open work items of two or more reports, with their place: no identity, no text."""
    stmt = _received(select(Cluster, Case).join(Case, Case.id == Cluster.lead_case_id)
                     .where(Case.status.in_(OPEN), Cluster.latitude.is_not(None), Cluster.reports > 1),
                     session, viewer, start, end, category)
    return [{"id": cluster.id, "number": lead.number, "case_id": lead.id, "category": cluster.category,
             "governorate": lead.governorate, "reports": cluster.reports,
             "lat": round(cluster.latitude, 5), "lon": round(cluster.longitude, 5)}
            for cluster, lead in session.execute(stmt.order_by(Cluster.reports.desc()).limit(2000))]


def week_of(moment: datetime) -> date:
    """The Saturday that starts the (Egyptian) week holding ``moment``, in local time."""
    local = moment.astimezone(ZoneInfo(settings.get().timezone)).date()
    return local - timedelta(days=(local.weekday() - 5) % 7)


def weekly(session: Session, viewer, start: date, end: date, by: str, *, category: str | None = None,
           governorate: str | None = None) -> dict[str, dict[date, int]]:
    """Complaints received per week, per governorate or category (``by``), optionally of one
    category or in one governorate."""
    column = {"governorate": Case.governorate, "category": Case.category}[by]
    stmt = _received(select(column, Case.created_at), session, viewer, start, end, category)
    if governorate:
        stmt = stmt.where(Case.governorate == governorate)
    series: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for key, at in session.execute(stmt.execution_options(yield_per=5000)):
        series[key or "-"][week_of(at)] += 1
    return {key: dict(weeks) for key, weeks in series.items()}


def weeks(start: date, end: date) -> list[date]:
    """Every week start from the one holding ``start`` to the one holding ``end``."""
    first = start - timedelta(days=(start.weekday() - 5) % 7)
    return [first + timedelta(weeks=i) for i in range((end - first).days // 7 + 1)]


def sla_by_entity(session: Session, viewer, start: date, end: date) -> list[dict]:
    """Per entity: answered in time, late, open past due, and compliance (in time / judged)."""
    answered_at = (select(CaseHistory.case_id, func.min(CaseHistory.at).label("at"))
                   .where(CaseHistory.to_status == CaseStatus.answered.value)
                   .group_by(CaseHistory.case_id).subquery())
    done, now = Case.status.in_(DONE), utcnow()
    judged = {
        "met": and_(done, Case.due_at.is_not(None), answered_at.c.at <= Case.due_at),
        "missed": and_(done, Case.due_at.is_not(None), answered_at.c.at > Case.due_at),
        "open_late": and_(~done, Case.due_at < now),
    }
    columns = [func.sum(case((cond, 1), else_=0)).label(name) for name, cond in judged.items()]
    stmt = _received(select(Case.entity_id, func.count(Case.id), *columns).select_from(Case)
                     .outerjoin(answered_at, answered_at.c.case_id == Case.id)
                     .where(Case.entity_id.is_not(None)), session, viewer, start, end, None)
    rows = []
    for entity_id, total, met, missed, late in session.execute(stmt.group_by(Case.entity_id)):
        met, missed, late = int(met or 0), int(missed or 0), int(late or 0)
        counted = met + missed + late
        rows.append({"entity_id": entity_id, "cases": total, "met": met, "missed": missed,
                     "open_late": late, "compliance": round(100 * met / counted) if counted else None})
    return sorted(rows, key=lambda r: (r["compliance"] is None, r["compliance"] or 0, -r["cases"]))
