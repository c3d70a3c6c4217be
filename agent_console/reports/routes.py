"""The reports page (SVG charts, SLA compliance) and the CSV export."""
from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from agent_console import formatting, labels, search
from agent_console.access import requires
from agent_console.database import session
from agent_console.reports import bp, chart, export, figures, loop
from hotline import scope
from hotline.models import CaseStatus, Entity

TITLES = {"entity": _l("Entities"), "category": _l("Categories"),
          "governorate": _l("Governorates"), "status": _l("Statuses")}


def _label(by: str, key: str, entities: dict) -> str:
    if not key:
        return str(_l("not set yet"))
    if by == "category":
        return labels.category(key)
    if by == "governorate":
        return labels.governorate(key)
    if by == "status":
        return labels.name(labels.STATUS, key)
    return labels.entity(entities[key]) if key in entities else key


@bp.get("")
@requires("reports.view")
def page():
    db = session()
    span = figures.period(request.args.get("from"), request.args.get("to"))
    entities = {e.code: e for e in db.scalars(select(Entity))}
    charts = []
    for by, title in TITLES.items():
        rows = [(_label(by, key, entities), n) for key, n in figures.counts(db, current_user, by, span)]
        svg = chart.chart([(label, formatting.number(n), n) for label, n in rows], str(title),
                          rtl=labels.arabic(), empty=str(_l("No cases in this period.")))
        charts.append((by, title, rows, svg))
    return render_template("reports/page.html", span=span, charts=charts,
                           sla=figures.sla(db, current_user, span),
                           closing=loop.section(db, current_user, span))


@bp.get("/cases.csv", endpoint="export")
@requires("cases.export")
def export_csv():
    db = session()
    args = request.args
    status = args.get("status", "")
    span = figures.period(args.get("from"), args.get("to"), days=3650)
    filters = search.Filters(q=args.get("q", "").strip()[:200], category=args.get("category", ""),
                             governorate=args.get("governorate", ""),
                             status=status if status in CaseStatus.__members__ else "",
                             date_from=span.start, date_to=span.end)
    stmt = scope.restrict(search.query(db, filters), db, current_user)
    text = export.build(db, stmt, current_user, filters={k: v for k, v in args.items()})
    db.commit()
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=cases-{span.start}-{span.end}.csv"})
