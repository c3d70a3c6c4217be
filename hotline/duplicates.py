"""Likely duplicates of a case: same category, open, recent, and near it (within
``duplicate_radius_m`` of its pin, or in its local unit); scored by place, text and photos.

``candidates`` is the indexed look-up (bench/clusters.py measures it on a million cases);
``score`` weighs the evidence; ``suggest`` keeps the suggestions an agent will see.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, true
from sqlalchemy.orm import Session

from hotline import geo, settings, similarity
from hotline.models import CasePlace, DuplicateSuggestion, PhotoHash, utcnow

LIMIT = 200  # candidates read per look-up, newest first
PLACE_WEIGHT, TEXT_WEIGHT = 0.5, 0.5
SAME_UNIT_PLACE = 0.6  # place evidence of "same local unit" when a distance cannot be measured


@dataclass(frozen=True)
class Candidate:
    """One possible duplicate and the evidence for it."""

    case_id: int
    cluster_id: int | None
    score: float
    distance_m: float | None
    same_unit: bool
    text_score: float
    photo_distance: int | None


def candidates(session: Session, place: CasePlace) -> list[CasePlace]:
    """Open places of the same category, received within the window, near ``place``.

    One query per way of being near (the pin's cells; the local unit), each answered by its own
    partial index; merged here, newest first."""
    conf = settings.get()
    if not place.category or (place.cell is None and place.local_unit_id is None):
        return []
    since = utcnow() - timedelta(days=conf.duplicate_window_days)
    base = select(CasePlace).where(
        CasePlace.is_open == true(), CasePlace.category == place.category,
        CasePlace.created_at >= since, CasePlace.case_id != place.case_id)
    nearby = []
    if place.cell is not None:
        cells = geo.cells_within(place.latitude, place.longitude, conf.duplicate_radius_m)
        nearby.append(base.where(CasePlace.cell.in_(cells)))
    if place.local_unit_id is not None:
        nearby.append(base.where(CasePlace.local_unit_id == place.local_unit_id))
    found: dict[int, CasePlace] = {}
    for stmt in nearby:
        for row in session.scalars(stmt.order_by(CasePlace.created_at.desc()).limit(LIMIT)):
            found[row.case_id] = row
    return sorted(found.values(), key=lambda p: p.created_at, reverse=True)[:LIMIT]


def photos_of(session: Session, case_ids: list[int]) -> dict[int, list[str]]:
    """Each case's photo hashes."""
    found: dict[int, list[str]] = {}
    if case_ids:
        for case_id, phash in session.execute(select(PhotoHash.case_id, PhotoHash.phash)
                                              .where(PhotoHash.case_id.in_(case_ids))):
            found.setdefault(case_id, []).append(phash)
    return found


def score(place: CasePlace, other: CasePlace, ours: list[str], theirs: list[str]) -> Candidate:
    """Weigh place (distance, or the same unit), text and photo evidence into 0..1."""
    radius = settings.get().duplicate_radius_m
    distance = None
    if place.latitude is not None and other.latitude is not None:
        distance = geo.metres(place.latitude, place.longitude, other.latitude, other.longitude)
    same_unit = bool(place.local_unit_id and place.local_unit_id == other.local_unit_id)
    if distance is not None:
        near = max(0.0, 1 - distance / radius)
    else:
        near = SAME_UNIT_PLACE if same_unit else 0.0
    text = similarity.text_score(place.text_norm or "", other.text_norm or "")
    bits = similarity.closest_photos(ours, theirs)
    total = PLACE_WEIGHT * near + TEXT_WEIGHT * text
    if bits is not None and bits <= settings.get().duplicate_photo_bits and near > 0:
        total = max(total, 0.9)  # the same pile photographed twice, nearby
    return Candidate(other.case_id, other.cluster_id, round(total, 3),
                     round(distance, 1) if distance is not None else None, same_unit, round(text, 3), bits)


def find(session: Session, place: CasePlace) -> list[Candidate]:
    """Candidates at or above ``duplicate_min_score``, best first; a case already in the same
    cluster as ``place`` is not suggested again."""
    found = candidates(session, place)
    if not found:
        return []
    hashes = photos_of(session, [place.case_id, *(p.case_id for p in found)])
    ours = hashes.get(place.case_id, [])
    threshold = settings.get().duplicate_min_score / 100
    scored = [score(place, other, ours, hashes.get(other.case_id, [])) for other in found
              if not (place.cluster_id and other.cluster_id == place.cluster_id)]
    return sorted((c for c in scored if c.score >= threshold), key=lambda c: -c.score)


def suggest(session: Session, place: CasePlace) -> list[DuplicateSuggestion]:
    """Replace the case's open suggestions with what ``find`` says now (dismissed ones stay)."""
    dismissed = set(session.scalars(select(DuplicateSuggestion.candidate_id).where(
        DuplicateSuggestion.case_id == place.case_id, DuplicateSuggestion.dismissed_by.is_not(None))))
    session.execute(delete(DuplicateSuggestion).where(
        DuplicateSuggestion.case_id == place.case_id, DuplicateSuggestion.dismissed_by.is_(None)))
    rows = []
    for found in find(session, place) if place.is_open else []:
        if found.case_id in dismissed:
            continue
        rows.append(DuplicateSuggestion(
            case_id=place.case_id, candidate_id=found.case_id, score=found.score,
            distance_m=found.distance_m, same_unit=found.same_unit, text_score=found.text_score,
            photo_distance=found.photo_distance))
    session.add_all(rows)
    return rows
