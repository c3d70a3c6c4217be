"""Which cases a user may see: the one query every list, search, export, API and room uses.

Call-centre roles (``cases.view``) see every case; an entity officer (``cases.view_entity``)
sees the cases routed to their entity and to every unit below it (``Entity.parent_id``, any
depth); anyone else sees none.
"""
from __future__ import annotations

from typing import Protocol

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from hotline import security
from hotline.models import Case, Entity


class Viewer(Protocol):
    """Anything with a role and an entity: a ``User`` row or the console's ``Account``."""

    role: str
    entity_id: int | None


def entity_tree(session: Session, entity_id: int | None) -> tuple[int, ...]:
    """``entity_id`` and the ids of all its descendants (empty for None)."""
    if entity_id is None:
        return ()
    found, frontier = [entity_id], [entity_id]
    while frontier:
        frontier = [i for i in session.scalars(select(Entity.id).where(Entity.parent_id.in_(frontier)))
                    if i not in found]
        found.extend(frontier)
    return tuple(found)


def visible_entity_ids(session: Session, user: Viewer) -> tuple[int, ...] | None:
    """The entities whose cases ``user`` sees; None means every case."""
    if security.has_permission(user.role, "cases.view"):
        return None
    if security.has_permission(user.role, "cases.view_entity"):
        return entity_tree(session, user.entity_id)
    return ()


def restrict(stmt: Select, session: Session, user: Viewer) -> Select:
    """``stmt`` (a SELECT involving ``Case``) narrowed to the cases ``user`` may see."""
    ids = visible_entity_ids(session, user)
    if ids is None:
        return stmt
    return stmt.where(Case.entity_id.in_(ids)) if ids else stmt.where(false())


def visible_cases(session: Session, user: Viewer) -> Select:
    """SELECT of every case ``user`` may see (add filters and ordering to it)."""
    return restrict(select(Case), session, user)


def can_see(session: Session, user: Viewer, case: Case) -> bool:
    """True when ``case`` is among the cases ``user`` may see."""
    ids = visible_entity_ids(session, user)
    return ids is None or (case.entity_id is not None and case.entity_id in ids)
