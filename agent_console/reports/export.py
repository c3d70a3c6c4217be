"""CSV export of the cases a user may see, through the identity gate (identity and the
description masked as the role and grounds require), and audited."""
from __future__ import annotations

import csv
import io
from typing import Iterator

from sqlalchemy.orm import Session, selectinload

from agent_console import gate
from hotline import audit
from hotline.models import Case, User

COLUMNS = ["number", "status", "channel", "category", "governorate", "entity", "created_at",
           "due_at", "consent", "name", "phone", "national_id", "identity_masked", "description"]


def rows(session: Session, stmt, viewer) -> Iterator[list[str]]:
    """CSV rows (header first) for the cases selected by ``stmt``, as ``viewer`` may see them."""
    yield COLUMNS
    for case in session.scalars(stmt.options(selectinload(Case.complainant),
                                             selectinload(Case.entity)).execution_options(yield_per=500)):
        seen = gate.view(session, case, viewer, audited=False)  # audited once, by build()
        shown = seen.identity
        yield [_safe(cell) for cell in [case.number, case.status.value, case.channel, case.category or "",
               case.governorate or "", case.entity.code if case.entity else "",
               case.created_at.isoformat(), case.due_at.isoformat() if case.due_at else "",
               "yes" if shown["consent"] else "no", shown["name"], shown["phone"], shown["national_id"],
               "yes" if shown["masked"] else "no", seen.description]]


def build(session: Session, stmt, viewer, *, filters: dict) -> str:
    """The whole CSV text; the export and each unmasked identity in it go to the audit trail."""
    out = io.StringIO()
    writer = csv.writer(out)
    count, unmasked = 0, []
    for row in rows(session, stmt, viewer):
        writer.writerow(row)
        if row is not COLUMNS:
            count += 1
            if row[12] == "no" and (row[9] or row[10] or row[11]):
                unmasked.append(row[0])
    user = session.get(User, viewer.id)
    audit.record(session, "cases.exported", user=user, object_type="export",
                 detail={"rows": count, "filters": filters, "unmasked_identities": unmasked})
    return "\ufeff" + out.getvalue()  # BOM: spreadsheet programs then read the Arabic as UTF-8


def _safe(text: str) -> str:
    # Any cell a citizen or agent typed (name, address, description) starting with = + - @, tab or
    # CR would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
