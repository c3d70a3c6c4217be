"""Import the entity tree below the governorates (markaz, city, district, village units) from CSV.

Columns: ``code, parent, kind, name_ar, name_en`` and optionally ``latitude, longitude,
radius_km, aliases, categories`` (aliases and categories separated by ``;``). Every row is
checked before anything is written: one bad row and nothing changes, and every problem is
reported with its line number. A unit's centre must lie, by real borders, in its governorate.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline import geo, reference
from hotline.models import Entity, EntityKind, EntityUnit

REQUIRED = ("code", "parent", "kind", "name_ar", "name_en")
OPTIONAL = ("latitude", "longitude", "radius_km", "aliases", "categories")
KINDS = ("markaz", "city", "district", "qism", "village")
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")
MAX_ROWS = 20000


# What can be wrong, in English as the command line prints it; the console says it in the page's
# language from the same keys and values (agent_console/places/units.py).
MESSAGES = {
    "missing_columns": "missing column(s) {columns}",
    "unknown_columns": "unknown column(s) {columns}",
    "too_many_rows": "more than {limit} rows: split the file",
    "no_rows": "the file has no rows",
    "bad_code": "code {code!r}: 3-64 lower-case letters, digits or '-'",
    "code_twice": "code {code!r} appears twice",
    "not_a_unit": "code {code!r} is a {entity_kind}, not a local unit",
    "bad_kind": "kind {kind!r}: choose {kinds}",
    "bad_name": "{column}: required, at most 200 characters",
    "bad_parent": "parent {parent!r}: not a governorate or a local unit above this row",
    "half_a_point": "give both latitude and longitude, or neither",
    "not_in_egypt": "latitude/longitude {latitude},{longitude}: not a point in Egypt",
    "other_governorate": "latitude/longitude {latitude},{longitude} lie in {found}, not in {governorate}",
    "bad_radius": "{column}: a number from 0.1 to 100",
    "unknown_categories": "{column}: unknown {categories}",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: which (a key of MESSAGES), its values, and its line (0: none)."""

    line: int
    what: str
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        shown = {k: ", ".join(v) if isinstance(v, (list, tuple)) else v for k, v in self.values.items()}
        text = MESSAGES[self.what].format(**shown)
        return f"line {self.line}: {text}" if self.line else text


@dataclass
class Result:
    """What an import did, or why it did nothing."""

    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Every problem in English, with its line number."""
        return [str(problem) for problem in self.problems]


def _number(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


def _rows(text: str, result: Result) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing:
        result.problems.append(Problem(1, "missing_columns", {"columns": missing}))
    if unknown:
        result.problems.append(Problem(1, "unknown_columns", {"columns": unknown}))
    if result.problems:
        return []
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            result.problems.append(Problem(0, "too_many_rows", {"limit": MAX_ROWS}))
            break
        clean = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        if any(clean.values()):
            rows.append((reader.line_num, clean))
    if not rows and not result.problems:
        result.problems.append(Problem(0, "no_rows"))
    return rows


def check(session: Session, text: str) -> tuple[list[tuple[int, dict]], Result]:
    """The rows ready to write, and a result whose ``problems`` are every problem found."""
    result = Result()
    rows = _rows(text, result)
    known = {e.code: e for e in session.scalars(select(Entity))}
    seen: dict[str, str] = {}  # code -> governorate slug, for this file's units
    for line, row in rows:
        problems = []

        def problem(what: str, **values) -> None:
            problems.append(Problem(line, what, values))

        code, parent = row["code"], row["parent"]
        if not _CODE.match(code):
            problem("bad_code", code=code)
        elif code in seen:
            problem("code_twice", code=code)
        elif code in known and known[code].kind != EntityKind.local_unit:
            problem("not_a_unit", code=code, entity_kind=known[code].kind.value)
        if row["kind"] not in KINDS:
            problem("bad_kind", kind=row["kind"], kinds=KINDS)
        for name in ("name_ar", "name_en"):
            if not row[name] or len(row[name]) > 200:
                problem("bad_name", column=name)
        governorate = _governorate_of(parent, known, seen)
        if governorate is None:
            problem("bad_parent", parent=parent)
        lat, lon = row.get("latitude", ""), row.get("longitude", "")
        if bool(lat) != bool(lon):
            problem("half_a_point")
        elif lat:
            pin = (_number(lat, -90, 90), _number(lon, -180, 180))
            found = geo.governorate_at(*pin) if None not in pin else None
            if found is None:
                problem("not_in_egypt", latitude=lat, longitude=lon)
            elif governorate and found.slug != governorate:
                problem("other_governorate", latitude=lat, longitude=lon, found=found.slug, governorate=governorate)
        if row.get("radius_km") and _number(row["radius_km"], 0.1, 100) is None:
            problem("bad_radius", column="radius_km")
        bad = [c for c in _split(row.get("categories", "")) if reference.category(c) is None]
        if bad:
            problem("unknown_categories", column="categories", categories=bad)
        result.problems.extend(problems)
        if not problems:
            seen[code] = governorate
    return rows, result


def load(session: Session, text: str) -> Result:
    """Check the CSV and, when every row is good, create or update its units (nothing otherwise)."""
    rows, result = check(session, text)
    if result.problems:
        return result
    known = {e.code: e for e in session.scalars(select(Entity))}
    for _line, row in rows:
        entity = known.get(row["code"])
        if entity is None:
            entity = known[row["code"]] = Entity(code=row["code"], kind=EntityKind.local_unit)
            session.add(entity)
            result.created += 1
        else:
            result.updated += 1
        entity.name_ar, entity.name_en, entity.active = row["name_ar"], row["name_en"], True
        entity.parent = known[row["parent"]]
        session.flush()
        unit = session.get(EntityUnit, entity.id) or EntityUnit(entity_id=entity.id)
        session.add(unit)
        unit.unit_kind = row["kind"]
        unit.latitude = float(row["latitude"]) if row.get("latitude") else None
        unit.longitude = float(row["longitude"]) if row.get("longitude") else None
        unit.radius_km = float(row["radius_km"]) if row.get("radius_km") else None
        unit.aliases = ";".join(_split(row.get("aliases", "")))
        unit.categories = ";".join(_split(row.get("categories", "")))
    session.flush()
    return result


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _governorate_of(code: str, known: dict[str, Entity], seen: dict[str, str]) -> str | None:
    """The governorate slug a parent code leads up to (a governorate, or a unit below one)."""
    if code in seen:
        return seen[code]
    entity = known.get(code)
    while entity is not None:
        if entity.kind == EntityKind.governorate:
            return entity.governorate
        if entity.kind != EntityKind.local_unit:
            return None
        entity = entity.parent
    return None
