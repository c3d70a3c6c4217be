"""Reports merged into one work item (issue 16) hear of the answer together, but each citizen
says for themselves whether it solved the problem: one "solved" closes only its own report,
and a report its citizen reopens leaves the work item, so the entity's inbox shows it."""
from __future__ import annotations

from sqlalchemy import select

from hotline import cases, clusters, db, satisfaction
from hotline.models import Case, CaseStatus, Entity, Survey, User
from tests.places.test_clusters import _merged


def _statuses(ids):
    with db.session_scope() as session:
        return [session.get(Case, i).status for i in ids]


def _answered_work_item() -> list[int]:
    with db.session_scope() as session:
        agent, reports, cluster = _merged(session)
        lead = session.get(Case, cluster.lead_case_id)
        cases.route(session, lead, session.scalar(select(Entity).where(Entity.code == "cairo-cleaning")),
                    actor="agent", user=agent)
        ids = [c.id for c in reports]
    from agent_console.inbox import actions

    with db.session_scope() as session:
        officer = session.scalar(select(User).where(User.username == "officer"))
        actions.answer(session, session.get(Case, ids[0]), officer, "تم رفع المخلفات")
    return ids


def test_each_citizen_closes_their_own_report(db_url):
    ids = _answered_work_item()
    assert _statuses(ids) == [CaseStatus.answered] * 3
    with db.session_scope() as session:
        assert session.scalar(select(Survey.id).where(Survey.case_id == ids[1])) is not None  # each is asked
        satisfaction.answer(session, session.get(Case, ids[0]), True, via="sms")
    assert _statuses(ids) == [CaseStatus.closed, CaseStatus.answered, CaseStatus.answered]


def test_a_reopened_report_leaves_the_work_item_and_shows_in_the_inbox(db_url):
    ids = _answered_work_item()
    with db.session_scope() as session:
        satisfaction.answer(session, session.get(Case, ids[2]), False, via="sms", words="ما زالت هناك")
    with db.session_scope() as session:
        assert clusters.cluster_of(session, ids[2]) is None
        shown = session.scalars(clusters.one_per_cluster(select(Case.id).where(Case.id.in_(ids)))).all()
        assert ids[2] in shown and session.get(Case, ids[2]).status == CaseStatus.routed
    assert _statuses(ids)[:2] == [CaseStatus.answered, CaseStatus.answered]
