"""The console's own tables: agent states, calls taken, QA scorecards and the search index.

They live on the shared ``Base.metadata`` (migration 0002_console) but only the console uses them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models import Base, utcnow

# Agents' states are the shared core's (the AMI bridge reads them too).
from hotline.models.agent import STATES, AgentState  # noqa: E402,F401


class AgentCall(Base):
    """A call (or case) an agent took; the disposition closes it and frees the agent."""

    __tablename__ = "agent_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    disposition: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None]


class WorkClaim(Base):
    """A back-office complaint an agent took from the work queue (migration 0009); one agent at a
    time, until it is routed, closed, released or the claim grows stale."""

    __tablename__ = "work_claims"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True,
                                         autoincrement=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Scorecard(Base):
    """A quality reviewer's scores of one call, criteria from config/qa.yaml."""

    __tablename__ = "qa_scorecards"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    recording_id: Mapped[int | None] = mapped_column(ForeignKey("recordings.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scores: Mapped[dict] = mapped_column(JSON)
    total: Mapped[float] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseSearch(Base):
    """Arabic-normalised text of a case (description + transcript), for full-text search."""

    __tablename__ = "case_search"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(index=True)
    body: Mapped[str] = mapped_column(Text, default="")


class SearchWatermark(Base):
    """The last case and transcript ids the search index has taken in."""

    __tablename__ = "search_watermarks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
