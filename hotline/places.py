"""A case's place: the pin's governorate by real borders, a conflict with the one the citizen
named, and the local unit below the governorate that the entity tree says covers it.

``refresh`` is run by ``hotline.casewatch`` whenever a case is created or changed; it writes the
case's ``CasePlace`` row and, when the citizen named no governorate, lets the pin decide it.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline import arabic, cases as lifecycle, geo, scope, similarity
from hotline.models import Case, CasePlace, CaseStatus, Entity, EntityKind, EntityUnit, Transcript

OPEN = (CaseStatus.received, CaseStatus.under_review, CaseStatus.routed)
DEFAULT_RADIUS_KM = 5.0
# Words every unit's name has, which say nothing about where it is.
GENERIC = frozenset(arabic.normalise(w) for w in (
    "حي", "مركز", "ومدينة", "مدينة", "قرية", "الوحدة", "المحلية", "وحدة", "محلية", "قسم", "أول", "ثان",
    "district", "city", "markaz", "and", "village", "unit", "local"))


@dataclass(frozen=True)
class Unit:
    """A local unit as the matcher sees it."""

    entity_id: int
    names: tuple[str, ...]  # normalised names and aliases, generic words dropped
    latitude: float | None
    longitude: float | None
    radius_km: float
    categories: frozenset[str]


def names_of(entity: Entity, unit: EntityUnit | None) -> tuple[str, ...]:
    """The normalised ways a citizen may name a unit: its names and aliases, generic words out."""
    raw = [entity.name_ar, entity.name_en, *((unit.aliases or "").split(";") if unit else [])]
    found = []
    for name in raw:
        words = [w for w in arabic.normalise(name).split() if w not in GENERIC]
        if words and len(" ".join(words)) >= 3:
            found.append(" ".join(words))
    return tuple(dict.fromkeys(found))


def units_of(session: Session, governorate: str | None) -> list[Unit]:
    """The active local units anywhere below a governorate's entity (the entity tree)."""
    if not governorate:
        return []
    top = session.scalar(select(Entity.id).where(Entity.governorate == governorate))
    ids = scope.entity_tree(session, top)
    rows = session.execute(
        select(Entity, EntityUnit).outerjoin(EntityUnit, EntityUnit.entity_id == Entity.id)
        .where(Entity.id.in_(ids), Entity.kind == EntityKind.local_unit, Entity.active.is_(True))).all()
    return [Unit(entity.id, names_of(entity, unit), unit.latitude if unit else None,
                 unit.longitude if unit else None,
                 (unit.radius_km if unit and unit.radius_km else DEFAULT_RADIUS_KM),
                 frozenset(c for c in (unit.categories if unit else "").split(";") if c))
            for entity, unit in rows]


def match_unit(units: list[Unit], text: str, pin: tuple[float, float] | None) -> Unit | None:
    """The unit the typed address names (longest name wins), else the nearest whose reach
    holds the pin."""
    padded = f" {arabic.normalise(text)} "
    named = [(len(name), u) for u in units for name in u.names if f" {name} " in padded]
    if named:
        return max(named, key=lambda item: item[0])[1]
    if pin is None:
        return None
    near = [(geo.metres(*pin, u.latitude, u.longitude), u) for u in units if u.latitude is not None]
    near = [(d, u) for d, u in near if d <= u.radius_km * 1000]
    return min(near, key=lambda item: item[0])[1] if near else None


def source_of(case: Case) -> str:
    """Where a case's place came from: its channel (an agent's typing shows as console)."""
    return case.channel if case.channel in ("whatsapp", "open311", "console") else "ivr"


def refresh(session: Session, case: Case) -> CasePlace:
    """Bring the case's place row up to date with the case (pin, governorate, unit, text)."""
    place = session.get(CasePlace, case.id) or CasePlace(case_id=case.id, created_at=case.created_at)
    session.add(place)
    pin = geo.valid_pin(case.latitude, case.longitude) if case.latitude is not None else None
    found = geo.governorate_at(*pin) if pin else None
    place.latitude, place.longitude = pin if pin else (None, None)
    place.cell = geo.cell(*pin) if pin else None
    place.pin_governorate = found.slug if found else None
    if found and not case.governorate:
        case.governorate = found.slug  # the pin decides where a complaint with no governorate goes
    place.governorate_conflict = bool(found and case.governorate and case.governorate != found.slug)
    place.source = source_of(case) if (pin or case.address or case.district) else None
    unit = match_unit(units_of(session, case.governorate), f"{case.district or ''} {case.address or ''}", pin)
    place.local_unit_id = unit.entity_id if unit else None
    transcript = session.scalar(select(Transcript.search_text).where(Transcript.case_id == case.id)
                                .order_by(Transcript.id.desc()).limit(1))
    place.text_norm = similarity.text_of(case.description, case.address, transcript)
    place.category = case.category
    place.is_open = case.status in OPEN
    return place


def suggest_entity(session: Session, case: Case) -> Entity | None:
    """Where the case should go: its local unit when the unit collects this category itself,
    else what the routing rules say."""
    place = session.get(CasePlace, case.id)
    if place is not None and place.local_unit_id and case.category:
        unit = session.get(EntityUnit, place.local_unit_id)
        if unit is not None and case.category in (unit.categories or "").split(";"):
            return session.get(Entity, place.local_unit_id)
    return lifecycle.suggest_entity(session, case.category, case.governorate)
