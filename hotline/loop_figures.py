"""Closing the loop in figures (issue 18): per entity and per category, how many answers came by
their due date, how many satisfied the citizen, how many the citizen reopened; and the league
table of entities on those figures.

- on time: answers given by the due date they were measured against (``Response.due_at``), of
  the answers that had one;
- satisfaction: the citizens' answers to the survey that said solved, of every answer they gave
  (a citizen who never answered counts in neither);
- reopened: the entity's answers the citizen said did not solve it, of every answer it gave.

Counted by the database over a period (answers by when they came, surveys by when the citizen
answered), limited to the entities ``entity_ids`` names (None: all; ``hotline.scope``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case as when, func, select
from sqlalchemy.orm import Session

from hotline.models import Case, Entity, Response, Survey

BY = ("entity", "category")


@dataclass(frozen=True)
class Rates:
    """The figures of one entity (by code) or one category."""

    key: str
    answers: int = 0
    timed: int = 0  # answers that had a due date
    on_time: int = 0
    surveyed: int = 0  # the citizens' answers to the survey
    solved: int = 0
    reopened: int = 0

    @staticmethod
    def _percent(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def on_time_percent(self) -> int | None:
        return self._percent(self.on_time, self.timed)

    @property
    def satisfaction_percent(self) -> int | None:
        return self._percent(self.solved, self.surveyed)

    @property
    def reopen_percent(self) -> int | None:
        return self._percent(self.reopened, self.answers)

    @property
    def score(self) -> float | None:
        """The league table's score: the mean of the on-time and satisfaction percentages."""
        parts = [p for p in (self.on_time_percent, self.satisfaction_percent) if p is not None]
        return sum(parts) / len(parts) if parts else None


def rates(session: Session, by: str, *, since: datetime | None = None, until: datetime | None = None,
          entity_ids: tuple[int, ...] | None = None) -> list[Rates]:
    """The figures per ``by`` (entity or category), most answers first."""
    if by not in BY:
        raise ValueError(f"by must be one of {BY}")
    answers_key = Response.entity_id if by == "entity" else Case.category
    on_time = when((and_(Response.due_at.is_not(None), Response.created_at <= Response.due_at), 1), else_=0)
    answers = (select(answers_key, func.count(Response.id), func.count(Response.due_at), func.sum(on_time))
               .select_from(Response).join(Case, Case.id == Response.case_id))
    answers = _within(answers, Response.created_at, Response.entity_id, since, until, entity_ids)
    survey_key = Survey.entity_id if by == "entity" else Case.category
    surveys = (select(survey_key, func.count(Survey.id),
                      func.sum(when((Survey.result == "solved", 1), else_=0)),
                      func.sum(when((Survey.result == "not_solved", 1), else_=0)))
               .select_from(Survey).join(Case, Case.id == Survey.case_id).where(Survey.state == "answered"))
    surveys = _within(surveys, Survey.answered_at, Survey.entity_id, since, until, entity_ids)
    found: dict = {}
    for key, count, timed, in_time in session.execute(answers.group_by(answers_key)):
        found[key] = {"answers": count, "timed": timed or 0, "on_time": int(in_time or 0)}
    for key, count, solved, reopened in session.execute(surveys.group_by(survey_key)):
        found.setdefault(key, {}).update(surveyed=count, solved=int(solved or 0), reopened=int(reopened or 0))
    names = dict(session.execute(select(Entity.id, Entity.code)).all()) if by == "entity" else {}
    rows = [Rates(names.get(key, "") if by == "entity" else (key or ""), **values)
            for key, values in found.items() if key is not None or by == "category"]
    return sorted(rows, key=lambda r: (-r.answers, -r.surveyed, r.key))


def _within(stmt, moment, entity, since, until, entity_ids):
    if since is not None:
        stmt = stmt.where(moment >= since)
    if until is not None:
        stmt = stmt.where(moment < until)
    if entity_ids is not None:
        stmt = stmt.where(entity.in_(entity_ids))
    return stmt


def league(rows: list[Rates], min_answers: int) -> tuple[list[tuple[int, Rates]], list[Rates]]:
    """(rank, entity) for entities with at least ``min_answers`` answers, best score first (ties
    share a rank), and the entities with too few answers to rank, most answers first."""
    ranked = sorted((r for r in rows if r.answers >= min_answers and r.score is not None),
                    key=lambda r: (-r.score, -(r.on_time_percent or 0), r.key))
    table, previous, rank = [], None, 0
    for position, row in enumerate(ranked, start=1):
        if row.score != previous:
            rank, previous = position, row.score
        table.append((rank, row))
    return table, [r for r in rows if r not in ranked]
