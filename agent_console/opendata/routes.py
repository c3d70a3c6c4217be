"""``/open-data``: public, no sign-in. Counts by governorate, category, month and status with
counts below k suppressed (``hotline.opendata``); CSV and JSON of the same table."""
from __future__ import annotations

from flask import Response, jsonify, render_template

from agent_console import labels
from agent_console.access import public
from agent_console.database import session
from agent_console.opendata import bp
from agent_console.places import timechart
from agent_console.places.panel import NO_DATA, in_language
from hotline import opendata

NAMES = {"governorate": labels.governorate, "category": labels.category,
         "status": lambda code: str(labels.STATUS.get(code, code)), "month": str}
COLUMNS = {"governorate": ("المحافظة", "Governorate"), "category": ("النوع", "Category"),
           "month": ("الشهر", "Month"), "status": ("الحالة", "Status")}
TITLES = {"governorate": "حسب المحافظة · By governorate", "category": "حسب النوع · By category",
          "month": "حسب الشهر · By month", "status": "حسب الحالة · By status"}


@bp.get("", endpoint="page")
@public
def page():
    data = opendata.table(session())
    charts = []
    for axis, title in TITLES.items():
        rows = data["totals"][axis]
        shown = [(NAMES[axis](r[axis]), r["count"]) for r in rows if not r["suppressed"]]
        if axis != "month":
            shown.sort(key=lambda kv: -kv[1])
        charts.append((axis, title, rows, timechart.bars(shown, title, empty=in_language(*NO_DATA))))
    return render_template("opendata/page.html", data=data, charts=charts, names=NAMES, columns=COLUMNS,
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
