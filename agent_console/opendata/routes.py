"""``/open-data``: public, no sign-in. Counts by governorate, category, month and status with
counts below k suppressed (``hotline.opendata``); CSV and JSON of the same table."""
from __future__ import annotations

from datetime import date, datetime

from flask import Response, jsonify, render_template
from flask_babel import format_date, gettext as _, lazy_gettext as _l

from agent_console import formatting, labels
from agent_console.access import public
from agent_console.database import session
from agent_console.opendata import bp
from agent_console.places import timechart
from hotline import opendata


def _month(code: str) -> str:
    """A month ("2026-12") by its name and year, in the page's language and digits."""
    year, month = (int(part) for part in code.split("-"))
    return formatting.digits(format_date(date(year, month, 1), "MMMM y"))


def _unknown(name):
    """``name`` of a code; "-" (the case does not say) as the words for it."""
    return lambda code: _("Not given") if code == "-" else name(code)


NAMES = {"governorate": _unknown(labels.governorate), "category": _unknown(labels.category),
         "status": lambda code: str(labels.STATUS.get(code, code)), "month": _month}
COLUMNS = {"governorate": _l("Governorate"), "category": _l("Category"), "month": _l("Month"),
           "status": _l("Status")}
TITLES = {"governorate": _l("By governorate"), "category": _l("By category"), "month": _l("By month"),
          "status": _l("By status")}


@bp.get("", endpoint="page")
@public
def page():
    data = opendata.table(session())
    charts = []
    for axis, title in TITLES.items():
        title = str(title)
        rows = data["totals"][axis]
        shown = [(NAMES[axis](r[axis]), r["count"]) for r in rows if not r["suppressed"]]
        if axis != "month":
            shown.sort(key=lambda kv: -kv[1])
        charts.append((axis, title, rows, timechart.bars(shown, title, empty=_("No data"))))
    return render_template("opendata/page.html", data=data, charts=charts, names=NAMES, columns=COLUMNS,
                           generated=datetime.fromisoformat(data["generated_at"]),
                           months=[r["month"] for r in data["totals"]["month"]],
                           satisfaction=opendata.satisfaction(session()))


@bp.get("/complaints.json")
@public
def as_json():
    response = jsonify(opendata.table(session()))
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: anyone may read it
    return response


@bp.get("/complaints.csv")
@public
def as_csv():
    return Response(opendata.to_csv(opendata.table(session())), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=complaints-16528.csv",
                             "Access-Control-Allow-Origin": "*"})


@bp.get("/satisfaction.json")
@public
def satisfaction_json():
    """Satisfaction, reopening and on-time answers per entity and category (issue 18)."""
    response = jsonify(opendata.satisfaction(session()))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/satisfaction.csv")
@public
def satisfaction_csv():
    return Response(opendata.satisfaction_csv(opendata.satisfaction(session())), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=satisfaction-16528.csv",
                             "Access-Control-Allow-Origin": "*"})
