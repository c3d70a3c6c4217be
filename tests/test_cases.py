"""Complaint numbers, routing and the case lifecycle."""
import multiprocessing

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import func, select

from hotline import cases, db, settings, verhoeff
from hotline.errors import ValidationError
from hotline.models import Case, CaseHistory, CaseStatus, Entity

numbers = st.integers(min_value=0, max_value=10**9).map(str)


@given(numbers)
def test_a_number_with_its_check_digit_is_valid(body):
    assert verhoeff.is_valid(body + verhoeff.check_digit(body))


@given(numbers, st.data())
def test_every_single_digit_error_is_caught(body, data):
    number = body + verhoeff.check_digit(body)
    position = data.draw(st.integers(0, len(number) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    assert not verhoeff.is_valid(number[:position] + wrong + number[position + 1:])


@given(numbers, st.data())
def test_every_adjacent_swap_is_caught(body, data):
    number = body + verhoeff.check_digit(body)
    swaps = [i for i in range(len(number) - 1) if number[i] != number[i + 1]]
    if not swaps:
        return
    i = data.draw(st.sampled_from(swaps))
    assert not verhoeff.is_valid(number[:i] + number[i + 1] + number[i] + number[i + 2:])


@pytest.mark.parametrize("text", ["", "abc", "٢٦٠٠٠٠٠١٥", "26-000001-5", "2600"])
def test_malformed_numbers_are_invalid(text):
    assert not cases.is_valid_number(text)


def test_numbers_are_year_sequence_check_digit(db_url):
    with db.session_scope() as session:
        first = cases.next_number(session, year=2026)
        second = cases.next_number(session, year=2026)
        other_year = cases.next_number(session, year=2027)
    assert first == "26000001" + verhoeff.check_digit("26000001")
    assert second.startswith("26000002") and other_year.startswith("27000001")
    assert all(cases.is_valid_number(n) for n in (first, second, other_year))


def test_rolled_back_case_gives_its_number_back(db_url):
    with pytest.raises(RuntimeError):
        with db.session_scope() as session:
            cases.next_number(session, year=2026)
            raise RuntimeError("hang-up before commit")
    with db.session_scope() as session:
        assert cases.next_number(session, year=2026).startswith("26000001")


def _create_many(url: str, var_dir: str, count: int, queue, start) -> None:
    settings.install(settings.load(environ={}, var_dir=var_dir, database_url=url))
    start.wait(timeout=120)  # all eight begin together, whatever their import times
    made = []
    for _ in range(count):
        with db.session_scope() as session:
            made.append(cases.create_case(session, channel="ivr", actor="ivr",
                                          category="garbage", governorate="minya").number)
    queue.put(made)


PER_PROCESS = 150  # the 8 overlap for seconds on 2 cores


def test_numbers_are_unique_under_concurrency(isolated_settings, postgresql_database):
    """8 processes x 150 cases at once against PostgreSQL: no duplicate, no error, no gap."""
    from tests.support.database import clean_postgresql

    clean_postgresql(postgresql_database)
    context = multiprocessing.get_context("spawn")
    results, start = context.Queue(), context.Barrier(8)
    workers = [context.Process(target=_create_many, args=(
        postgresql_database, str(isolated_settings.var_dir), PER_PROCESS, results, start)) for _ in range(8)]
    for worker in workers:
        worker.start()
    made = [number for _ in workers for number in results.get(timeout=600)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert len(made) == len(set(made)) == 8 * PER_PROCESS
    sequences = sorted(int(n[2:-1]) for n in made)
    assert sequences == list(range(1, 8 * PER_PROCESS + 1))
    settings.install(isolated_settings.replace(database_url=postgresql_database))
    with db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 8 * PER_PROCESS


@pytest.mark.parametrize("category, governorate, expected", [
    ("garbage", "minya", "gov-minya"),          # garbage → the governorate itself
    ("garbage", "cairo", "cairo-cleaning"),     # … or its cleaning authority
    ("water_sewage", "giza", "hc-water"),
    ("health", None, "min-health"),
    ("housing_violations", None, "min-local-development"),  # no governorate: fallback
    ("other", "luxor", "min-local-development"),
    (None, None, "min-local-development"),
])
def test_routing_picks_the_most_specific_rule(db_url, category, governorate, expected):
    with db.session_scope() as session:
        assert cases.suggest_entity(session, category, governorate).code == expected


def test_lifecycle_records_history_and_refuses_illegal_moves(db_url):
    with db.session_scope() as session:
        case = cases.create_case(session, channel="ivr", actor="ivr", category="garbage",
                                 governorate="minya", description="قمامة أمام المدرسة")
        assert case.status is CaseStatus.received and case.due_at is not None
        entity = session.scalar(select(Entity).where(Entity.code == "gov-minya"))
        cases.route(session, case, entity, actor="agent1", note="garbage in Minya")
        cases.change_status(session, case, CaseStatus.under_review, actor="officer")
        cases.change_status(session, case, CaseStatus.answered, actor="officer")
        cases.change_status(session, case, CaseStatus.closed, actor="agent1")
        with pytest.raises(ValidationError, match="cannot go from closed to received"):
            cases.change_status(session, case, CaseStatus.received, actor="agent1")
        rows = session.scalars(select(CaseHistory).where(CaseHistory.case_id == case.id)
                               .order_by(CaseHistory.id)).all()
    assert [(r.from_status, r.to_status) for r in rows] == [
        (None, "received"), ("received", "routed"), ("routed", "under_review"),
        ("under_review", "answered"), ("answered", "closed")]
    assert rows[1].to_entity_id == entity.id and rows[1].actor == "agent1"


def test_re_routing_keeps_every_hop(db_url):
    with db.session_scope() as session:
        case = cases.create_case(session, channel="console", actor="agent1", category="garbage")
        first, second = (session.scalar(select(Entity).where(Entity.code == code))
                         for code in ("gov-cairo", "cairo-cleaning"))
        cases.route(session, case, first, actor="agent1")
        cases.route(session, case, second, actor="supervisor", note="cleaning authority handles it")
        hops = [(h.from_entity_id, h.to_entity_id) for h in case.history if h.to_entity_id]
    assert hops == [(None, first.id), (first.id, second.id)]


def test_unknown_category_or_governorate_is_refused(db_url):
    with db.session_scope() as session:
        with pytest.raises(ValidationError, match="unknown category"):
            cases.create_case(session, channel="ivr", actor="ivr", category="aliens")
        with pytest.raises(ValidationError, match="unknown governorate"):
            cases.create_case(session, channel="ivr", actor="ivr", governorate="atlantis")
