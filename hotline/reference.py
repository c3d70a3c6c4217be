"""Reference data from config/: categories, governorates, entities and routing rules.

``load_into(session)`` makes the entities match the YAML files and adds routing rules that are
missing (rules edited by an admin are kept); running it twice changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline import resources
from hotline.models import Entity, EntityKind, RoutingRule

ANY = "*"


@dataclass(frozen=True)
class Category:
    code: str
    name_ar: str
    name_en: str
    sla_days: int
    keywords: tuple[str, ...]
    digit: str  # keypad digit in the IVR's category menu


@dataclass(frozen=True)
class Governorate:
    slug: str
    code: str  # entity code
    nid_code: str
    name_ar: str
    name_en: str


@cache
def categories() -> tuple[Category, ...]:
    """The nine categories in keypad order."""
    rows = resources.load_yaml("categories.yaml")["categories"]
    if len(rows) != 9:
        raise ValueError(f"categories.yaml must list exactly nine categories, it lists {len(rows)}")
    return tuple(
        Category(row["code"], row["name_ar"], row["name_en"], int(row.get("sla_days", 14)),
                 tuple(row.get("keywords") or ()), str(index))
        for index, row in enumerate(rows, start=1))


def category(code: str) -> Category | None:
    """The category with this code, or None."""
    return next((c for c in categories() if c.code == code), None)


@cache
def governorates() -> tuple[Governorate, ...]:
    """The 27 governorates in menu order."""
    rows = resources.load_yaml("entities.yaml")["governorates"]
    return tuple(Governorate(r["slug"], r["code"], str(r["nid_code"]), r["name_ar"], r["name_en"])
                 for r in rows)


def governorate(slug: str) -> Governorate | None:
    """The governorate with this slug, or None."""
    return next((g for g in governorates() if g.slug == slug), None)


def governorate_by_nid_code(code: str) -> Governorate | None:
    """The governorate a national ID's 8th-9th digits name, or None."""
    return next((g for g in governorates() if g.nid_code == code), None)


@cache
def nid_codes() -> frozenset[str]:
    """Every governorate code a national ID may carry (the 27 plus 'born abroad')."""
    abroad = resources.load_yaml("entities.yaml").get("nid_codes_abroad", [])
    return frozenset(g.nid_code for g in governorates()) | frozenset(str(c) for c in abroad)


def _entity_rows() -> list[dict]:
    data = resources.load_yaml("entities.yaml")
    rows: list[dict] = []
    for row in data["ministries"]:
        rows.append({**row, "kind": EntityKind.ministry})
    for order, row in enumerate(data["governorates"], start=1):
        rows.append({**row, "kind": EntityKind.governorate, "governorate": row["slug"],
                     "nid_code": str(row["nid_code"]), "menu_order": order})
    for row in data["authorities"]:
        rows.append({**row, "kind": EntityKind.authority})
    for row in data["local_units"]:
        rows.append({**row, "kind": EntityKind.local_unit})
    return rows


def load_into(session: Session) -> dict[str, int]:
    """Insert or update entities and routing rules from config/; returns counts of changes."""
    changes = {"entities": 0, "rules": 0}
    existing = {e.code: e for e in session.scalars(select(Entity))}
    rows = _entity_rows()
    for row in rows:
        entity = existing.get(row["code"])
        if entity is None:
            entity = existing[row["code"]] = Entity(code=row["code"])
            session.add(entity)
        fields = {"kind": row["kind"], "name_ar": row["name_ar"], "name_en": row["name_en"],
                  "governorate": row.get("governorate"), "nid_code": row.get("nid_code"),
                  "menu_order": row.get("menu_order", 0), "active": True}
        changes["entities"] += _assign(entity, fields)
    session.flush()
    for row in rows:
        parent = existing[row["parent"]].id if row.get("parent") else None
        changes["entities"] += _assign(existing[row["code"]], {"parent_id": parent})

    # Rules are seeded, not synchronised: admins edit them in the console, and init-db must not
    # undo that. A rule routing.yaml adds later is inserted; existing ones are left as they are.
    routing = resources.load_yaml("routing.yaml")
    present = {tuple(row) for row in session.execute(select(RoutingRule.category, RoutingRule.governorate))}
    for row in routing["rules"]:
        key = (row["category"], row["governorate"])
        if key in present:
            continue
        target = row["entity"]
        session.add(RoutingRule(category=key[0], governorate=key[1],
                                to_governorate=target == "governorate",
                                entity_id=None if target == "governorate" else existing[target].id))
        changes["rules"] += 1
    session.flush()
    return changes


def fallback_entity_code() -> str:
    """The entity a complaint goes to when no rule names one."""
    return resources.load_yaml("routing.yaml")["fallback"]


def _assign(obj, fields: dict) -> int:
    changed = 0
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = 1
    return changed
