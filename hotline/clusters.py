"""Clusters: reports of one problem merged into one work item.

The cluster's lead case is the work item: it is routed once and answered once, and the entity's
inbox shows it alone, with N reports. Every member keeps its own number, status and complainant;
when the lead moves (routed, answered, closed, sent back) the members follow it, so each citizen
hears of the answer through their own case (``follow``, run by ``hotline.casewatch``).
"""
from __future__ import annotations

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from hotline import cases as lifecycle
from hotline.errors import ValidationError
from hotline.models import (Case, CaseHistory, CasePlace, CaseStatus, Cluster, DuplicateSuggestion,
                            Entity, Response, User)
from hotline.places import OPEN, refresh

ACTOR = "cluster"
S = CaseStatus
WITH_ENTITY = (S.routed, S.under_review, S.answered)  # the lead is with its entity


def cluster_of(session: Session, case_id: int) -> Cluster | None:
    """The cluster a case belongs to, or None."""
    place = session.get(CasePlace, case_id)
    return session.get(Cluster, place.cluster_id) if place and place.cluster_id else None


def members(session: Session, cluster: Cluster) -> list[Case]:
    """The cluster's cases, lead first, then in the order they were received."""
    rows = session.scalars(select(Case).join(CasePlace, CasePlace.case_id == Case.id)
                           .where(CasePlace.cluster_id == cluster.id).order_by(Case.created_at, Case.id))
    return sorted(rows, key=lambda c: c.id != cluster.lead_case_id)


def merge(session: Session, chosen: list[Case], *, user: User) -> Cluster:
    """Merge open cases of one category (and the clusters they are in) into one work item."""
    if len({c.id for c in chosen}) < 2:
        raise ValidationError("choose at least two complaints to merge")
    if len({c.category for c in chosen}) != 1:
        raise ValidationError("only complaints of one category can be merged")
    closed = [c.number for c in chosen if c.status not in OPEN]
    if closed:
        raise ValidationError(f"complaints no longer open cannot be merged: {', '.join(closed)}")
    places = {c.id: session.get(CasePlace, c.id) or refresh(session, c) for c in chosen}
    found = {p.cluster_id for p in places.values() if p.cluster_id}
    clusters = sorted((session.get(Cluster, i) for i in found), key=lambda k: (-k.reports, k.id))
    everyone = {c.id: c for c in chosen}
    for other in clusters:
        everyone.update({c.id: c for c in members(session, other)})
    joined_before = {i for i in everyone if clusters and cluster_of(session, i) is clusters[0]}
    if clusters:
        cluster = clusters[0]
        for folded in clusters[1:]:
            session.execute(_places_of(folded).values(cluster_id=cluster.id))
            session.delete(folded)
    else:
        routed = [c for c in chosen if c.status == S.routed]
        lead = min(routed or chosen, key=lambda c: (c.created_at, c.id))
        cluster = Cluster(lead_case_id=lead.id, category=lead.category, governorate=lead.governorate,
                          created_by=user.username, reports=len(everyone))
        session.add(cluster)
        session.flush()
    lead = everyone.get(cluster.lead_case_id) or session.get(Case, cluster.lead_case_id)
    for case in everyone.values():
        place = session.get(CasePlace, case.id) or refresh(session, case)
        place.cluster_id = cluster.id
        if case.id not in joined_before and case.id != lead.id:
            session.add(CaseHistory(case_id=case.id, actor=user.username, user_id=user.id,
                                    note=f"دمجت في بلاغ العمل {lead.number} · merged into work item {lead.number}"))
    session.flush()
    _recount(session, cluster)
    ids = list(everyone)
    session.execute(delete(DuplicateSuggestion).where(DuplicateSuggestion.case_id.in_(ids),
                                                      DuplicateSuggestion.candidate_id.in_(ids)))
    follow(session, lead)
    return cluster


def detach(session: Session, case: Case, *, user: User) -> None:
    """Take a case out of its cluster (it was not the same problem); it is handled alone again."""
    cluster = cluster_of(session, case.id)
    if cluster is None:
        raise ValidationError(f"case {case.number} is not part of a work item")
    session.get(CasePlace, case.id).cluster_id = None
    session.add(CaseHistory(case_id=case.id, actor=user.username, user_id=user.id,
                            note="فصلت عن بلاغ العمل · taken out of the work item"))
    session.flush()
    rest = members(session, cluster)
    if len(rest) < 2:
        session.execute(_places_of(cluster).values(cluster_id=None))
        session.delete(cluster)
        return
    if cluster.lead_case_id == case.id:
        cluster.lead_case_id = min(rest, key=lambda c: (c.status != S.routed, c.created_at, c.id)).id
    _recount(session, cluster)


def follow(session: Session, lead: Case) -> list[Case]:
    """Bring the members of the lead's cluster to the lead's status and entity; returns those moved."""
    cluster = cluster_of(session, lead.id)
    if cluster is None or cluster.lead_case_id != lead.id:
        return []
    entity = session.get(Entity, lead.entity_id) if lead.entity_id else None
    note = f"بلاغ العمل {lead.number} · work item {lead.number}"
    moved = []
    for member in members(session, cluster)[1:]:
        if (entity is not None and lead.status in WITH_ENTITY and member.entity_id != entity.id
                and S.routed in lifecycle.TRANSITIONS[member.status]):
            lifecycle.route(session, member, entity, actor=ACTOR, note=note)
            moved.append(member)
        if member.status == lead.status or lead.status not in lifecycle.TRANSITIONS[member.status]:
            continue
        if lead.status == S.closed:  # each citizen closes their own complaint, by word or silence
            continue
        if lead.status == S.answered:
            answer = session.scalar(select(Response).where(Response.case_id == lead.id)
                                    .order_by(Response.id.desc()).limit(1))
            if answer is not None:
                session.add(Response(case_id=member.id, entity_id=answer.entity_id,
                                     user_id=answer.user_id, body=answer.body))
                session.flush()
        lifecycle.change_status(session, member, lead.status, actor=ACTOR, note=note)
        moved.append(member)
    return moved


def one_per_cluster(stmt: Select) -> Select:
    """``stmt`` (over ``Case``) without the members that are not their cluster's lead."""
    followers = (select(CasePlace.case_id).join(Cluster, Cluster.id == CasePlace.cluster_id)
                 .where(CasePlace.case_id != Cluster.lead_case_id))
    return stmt.where(Case.id.not_in(followers))


def reports(session: Session, case_id: int) -> int:
    """How many reports the work item led by ``case_id`` stands for (1 when alone)."""
    cluster = session.scalar(select(Cluster).where(Cluster.lead_case_id == case_id))
    return cluster.reports if cluster is not None else 1


def _places_of(cluster: Cluster):
    return update(CasePlace).where(CasePlace.cluster_id == cluster.id)


def _recount(session: Session, cluster: Cluster) -> None:
    row = session.execute(select(func.count(), func.avg(CasePlace.latitude), func.avg(CasePlace.longitude))
                          .where(CasePlace.cluster_id == cluster.id)).one()
    cluster.reports, cluster.latitude, cluster.longitude = row[0], row[1], row[2]
    session.flush()
