"""What the case page and the entity's case page show of places and clusters.

Registered as template globals, so the two case templates only include a partial: the agent's
panel (place, conflict, local unit, suggested duplicates with their evidence, the work item) and
the entity's list of the N reports behind one work item, each identity masked as that
complainant consented. Identity and free text go through the identity gate (``gate.view``)
like every other surface: the agent sees another case's text as the gate shows it to them.
"""
from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from agent_console import gate, labels
from agent_console.database import session
from agent_console.places import bp
from hotline import clusters, places
from hotline.models import Attachment, Case, CasePlace, DuplicateSuggestion, Entity

THUMBS = 3  # photos shown per case in a suggestion


def _photos(db, case_id: int) -> list[int]:
    return list(db.scalars(select(Attachment.id).where(Attachment.case_id == case_id, Attachment.kind == "photo")
                           .order_by(Attachment.id).limit(THUMBS)))


def agent_panel(case: Case) -> dict:
    """Place facts, suggested duplicates with evidence, and the work item the case is in."""
    db = session()
    place = db.get(CasePlace, case.id)
    unit = db.get(Entity, place.local_unit_id) if place and place.local_unit_id else None
    cluster = clusters.cluster_of(db, case.id)
    found = []
    rows = db.execute(select(DuplicateSuggestion, Case).join(Case, Case.id == DuplicateSuggestion.candidate_id)
                      .where(DuplicateSuggestion.case_id == case.id, DuplicateSuggestion.dismissed_by.is_(None),
                             Case.status.in_(places.OPEN))  # one answered since is no longer a candidate
                      .order_by(DuplicateSuggestion.score.desc()).limit(10))
    for suggestion, other in rows:
        other_cluster = clusters.cluster_of(db, other.id)
        found.append({"suggestion": suggestion, "case": other, "photos": _photos(db, other.id),
                      "description": gate.view(db, other, current_user, audited=False).description,
                      "work_item": db.get(Case, other_cluster.lead_case_id) if other_cluster else None,
                      "reports": other_cluster.reports if other_cluster else 1})
    return {"place": place, "unit": unit, "suggested_entity": places.suggest_entity(db, case),
            "photos": _photos(db, case.id), "suggestions": found, "cluster": cluster,
            "members": clusters.members(db, cluster) if cluster else []}


def entity_reports(case: Case) -> list[dict]:
    """The reports behind a work item the entity sees (empty for a case alone), identities
    masked per each complainant's consent; unmasked views are audited by the gate."""
    db = session()
    cluster = clusters.cluster_of(db, case.id)
    if cluster is None or cluster.lead_case_id != case.id:
        return []
    shown = []
    for member in clusters.members(db, cluster):
        seen = gate.view(db, member, current_user)  # audited when unmasked
        shown.append({"case": member, "identity": seen.identity, "description": seen.description})
    db.commit()  # the audit entries of unmasked identities
    return shown


def reports_of(case: Case) -> int:
    """How many reports the case stands for in a list (1 when alone)."""
    return clusters.reports(session(), case.id)


def in_language(arabic: str, english: str) -> str:
    """The text in the page's language, from both written side by side. The places pages use
    gettext now (their Arabic is in the catalogue); the open data's satisfaction section still
    calls this as ``t``."""
    return arabic if labels.arabic() else english


@bp.app_context_processor
def _globals() -> dict:
    return {"t": in_language, "places_agent_panel": agent_panel, "places_entity_reports": entity_reports,
            "places_reports_of": reports_of}
