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


@dataclass
class Result:
    """What an import did, or why it did nothing."""

    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


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
        result.errors.append(f"line 1: missing column(s) {', '.join(missing)}")
    if unknown:
        result.errors.append(f"line 1: unknown column(s) {', '.join(unknown)}")
    if result.errors:
        return []
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            result.errors.append(f"more than {MAX_ROWS} rows: split the file")
            break
        clean = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        if any(clean.values()):
            rows.append((reader.line_num, clean))
    if not rows and not result.errors:
        result.errors.append("the file has no rows")
    return rows


def check(session: Session, text: str) -> tuple[list[tuple[int, dict]], Result]:
    """The rows ready to write, and a result whose ``errors`` list every problem found."""
    result = Result()
    rows = _rows(text, result)
    known = {e.code: e for e in session.scalars(select(Entity))}
    seen: dict[str, str] = {}  # code -> governorate slug, for this file's units
    for line, row in rows:
        problems = []
        code, parent = row["code"], row["parent"]
        if not _CODE.match(code):
            problems.append(f"code {code!r}: 3-64 lower-case letters, digits or '-'")
        elif code in seen:
            problems.append(f"code {code!r} appears twice")
        elif code in known and known[code].kind != EntityKind.local_unit:
            problems.append(f"code {code!r} is a {known[code].kind.value}, not a local unit")
        if row["kind"] not in KINDS:
            problems.append(f"kind {row['kind']!r}: choose {', '.join(KINDS)}")
        for name in ("name_ar", "name_en"):
            if not row[name] or len(row[name]) > 200:
                problems.append(f"{name}: required, at most 200 characters")
        governorate = _governorate_of(parent, known, seen)
        if governorate is None:
            problems.append(f"parent {parent!r}: not a governorate or a local unit above this row")
        lat, lon = row.get("latitude", ""), row.get("longitude", "")
        if bool(lat) != bool(lon):
            problems.append("give both latitude and longitude, or neither")
        elif lat:
            pin = (_number(lat, -90, 90), _number(lon, -180, 180))
            found = geo.governorate_at(*pin) if None not in pin else None
            if found is None:
                problems.append(f"latitude/longitude {lat},{lon}: not a point in Egypt")
            elif governorate and found.slug != governorate:
                problems.append(f"latitude/longitude {lat},{lon} lie in {found.slug}, not in {governorate}")
        if row.get("radius_km") and _number(row["radius_km"], 0.1, 100) is None:
            problems.append("radius_km: a number from 0.1 to 100")
        bad = [c for c in _split(row.get("categories", "")) if reference.category(c) is None]
        if bad:
            problems.append(f"categories: unknown {', '.join(bad)}")
        result.errors.extend(f"line {line}: {p}" for p in problems)
        if not problems:
            seen[code] = governorate
    return rows, result


def load(session: Session, text: str) -> Result:
    """Check the CSV and, when every row is good, create or update its units (nothing otherwise)."""
    rows, result = check(session, text)
    if result.errors:
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
