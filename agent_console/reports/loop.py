"""The reports page's closing-the-loop section: satisfaction and reopen rates per entity and
per category, and the league table of entities (``hotline.loop_figures``)."""
from __future__ import annotations

from sqlalchemy import select

from agent_console import labels
from hotline import loop_figures, scope, settings
from hotline.models import Entity


def section(session, user, span) -> dict:
    """What the template shows: rows per entity and per category, the ranked and unranked."""
    low, high = span.bounds()
    ids = scope.visible_entity_ids(session, user)
    entities = {e.code: e for e in session.scalars(select(Entity))}
    by_entity = loop_figures.rates(session, "entity", since=low, until=high, entity_ids=ids)
    by_category = loop_figures.rates(session, "category", since=low, until=high, entity_ids=ids)
    minimum = settings.get().open_data_min_count
    ranked, unranked = loop_figures.league(by_entity, minimum)
    name = lambda code: labels.entity(entities[code]) if code in entities else code  # noqa: E731
    return {"entities": [(name(r.key), r) for r in by_entity],
            "categories": [(labels.category(r.key) if r.key else "—", r) for r in by_category],
            "league": [(rank, name(r.key), r) for rank, r in ranked],
            "unranked": [(name(r.key), r) for r in unranked], "minimum": minimum}
