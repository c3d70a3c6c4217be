"""Open data: complaints counted by governorate, category, month and status, with small counts
suppressed so no one can be singled out (k-anonymity, ``open_data_min_count``, k >= 5 by
default), and no free text at all: codes, reference names and numbers only.

A count below k is published as suppressed. Because the page also publishes the totals per
governorate, category, month and status, a lone suppressed cell could be worked out by
subtraction; so in any such group where exactly one cell is suppressed, the next smallest is
suppressed too (complementary suppression), until no group has a lone one.
"""
from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline import reference, settings
from hotline.models import Case

DIMENSIONS = ("governorate", "category", "month", "status")
COLUMNS = ("governorate", "governorate_ar", "governorate_en", "category", "category_ar", "category_en",
           "month", "status", "count", "suppressed")


def counts(session: Session) -> Counter:
    """{(governorate, category, month, status): complaints}, months in local time (YYYY-MM)."""
    zone = settings.get().timezone
    found: Counter = Counter()
    if session.get_bind().dialect.name == "postgresql":
        month = func.to_char(func.timezone(zone, Case.created_at), "YYYY-MM")
        stmt = (select(Case.governorate, Case.category, month, Case.status, func.count())
                .group_by(Case.governorate, Case.category, month, Case.status))
        for gov, cat, mon, status, n in session.execute(stmt):
            found[(gov or "-", cat or "-", mon, status.value)] += n
        return found
    local = ZoneInfo(zone)
    for gov, cat, at, status in session.execute(
            select(Case.governorate, Case.category, Case.created_at, Case.status)
            .execution_options(yield_per=5000)):
        found[(gov or "-", cat or "-", at.astimezone(local).strftime("%Y-%m"), status.value)] += 1
    return found


def suppress(cells: Counter, k: int) -> set[tuple]:
    """The cells to withhold: every count below k, and complements so no group's total gives one away."""
    hidden = {key for key, n in cells.items() if n < k}
    changed = True
    while changed:
        changed = False
        for axis in range(len(DIMENSIONS)):
            groups: dict[str, list[tuple]] = defaultdict(list)
            for key in cells:
                groups[key[axis]].append(key)
            for members in groups.values():
                lone = [key for key in members if key in hidden]
                if len(lone) == 1 and len(members) > 1:
                    shown = sorted((key for key in members if key not in hidden), key=lambda key: (cells[key], key))
                    hidden.add(shown[0])
                    changed = True
    return hidden


def totals(cells: Counter, hidden: set[tuple], axis: str, k: int) -> list[dict]:
    """Complaints per value of one dimension; a total below k is withheld too."""
    index = DIMENSIONS.index(axis)
    summed: Counter = Counter()
    for key, n in cells.items():
        summed[key[index]] += n
    return [{axis: value, "count": n if n >= k else None, "suppressed": n < k}
            for value, n in sorted(summed.items())]


def table(session: Session, k: int | None = None) -> dict:
    """The whole open-data set: detailed cells (suppressed ones without a count) and totals."""
    k = k or settings.get().open_data_min_count
    cells = counts(session)
    hidden = suppress(cells, k)
    rows = []
    for key in sorted(cells):
        gov, cat, month, status = key
        g, c = reference.governorate(gov), reference.category(cat)
        rows.append({"governorate": gov, "governorate_ar": g.name_ar if g else "", "governorate_en": g.name_en if g else "",
                     "category": cat, "category_ar": c.name_ar if c else "", "category_en": c.name_en if c else "",
                     "month": month, "status": status,
                     "count": None if key in hidden else cells[key], "suppressed": key in hidden})
    return {"k": k, "generated_at": datetime.now(ZoneInfo(settings.get().timezone)).isoformat(timespec="seconds"),
            "licence": "CC BY 4.0", "rows": rows,
            "totals": {axis: totals(cells, hidden, axis, k) for axis in DIMENSIONS}}


SATISFACTION_COLUMNS = ("by", "code", "name_ar", "name_en", "rank", "answers", "on_time_percent",
                        "surveyed", "satisfaction_percent", "reopen_percent")


def satisfaction(session: Session, k: int | None = None) -> dict:
    """Satisfaction, reopening and on-time answers per entity and per category (issue 18), all
    time. A figure stands only on at least k answers: fewer, and it is withheld with its count.
    No totals are published beside them, so a withheld row cannot be worked out by subtraction;
    entities with k answers or more are ranked (``hotline.loop_figures.league``)."""
    from hotline import loop_figures
    from hotline.models import Entity

    k = k or settings.get().open_data_min_count
    entities = {e.code: e for e in session.scalars(select(Entity))}
    out: dict = {"k": k}
    for by in loop_figures.BY:
        rows = loop_figures.rates(session, by)
        ranks = {r.key: rank for rank, r in loop_figures.league(rows, k)[0]} if by == "entity" else {}
        table = []
        for r in rows:
            named = entities.get(r.key) if by == "entity" else reference.category(r.key)
            table.append({
                "by": by, "code": r.key or "-", "name_ar": named.name_ar if named else "",
                "name_en": named.name_en if named else "", "rank": ranks.get(r.key),
                "answers": r.answers if r.answers >= k else None,
                "on_time_percent": r.on_time_percent if r.timed >= k else None,
                "surveyed": r.surveyed if r.surveyed >= k else None,
                "satisfaction_percent": r.satisfaction_percent if r.surveyed >= k else None,
                "reopen_percent": r.reopen_percent if r.answers >= k else None,
                "suppressed": r.answers < k and r.surveyed < k})
        out[f"by_{by}"] = [row for row in table if not row["suppressed"]] + \
            [{**{c: None for c in SATISFACTION_COLUMNS[1:]}, "by": by, "code": row["code"], "name_ar": row["name_ar"],
              "name_en": row["name_en"], "suppressed": True} for row in table if row["suppressed"]]
    return out


def satisfaction_csv(data: dict) -> str:
    """:func:`satisfaction` as CSV (UTF-8 with BOM); withheld figures are empty."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SATISFACTION_COLUMNS)
    for by in ("by_entity", "by_category"):
        for row in data[by]:
            writer.writerow(["" if row.get(c) is None else row[c] for c in SATISFACTION_COLUMNS])
    return "\ufeff" + out.getvalue()


def to_csv(data: dict) -> str:
    """The detailed cells as CSV (UTF-8 with BOM, so spreadsheets read the Arabic)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in data["rows"]:
        writer.writerow(["" if row[c] is None else ("yes" if row[c] is True else "no" if row[c] is False else row[c])
                         for c in COLUMNS])
    return "\ufeff" + out.getvalue()
