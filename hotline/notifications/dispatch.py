"""Queue a notification when a case is answered or closed; deliver it with retries and back-off.

``queue`` runs inside the status change's transaction; the delivery job is enqueued only after
that transaction commits. ``deliver`` is the job: idempotent (a sent or failed notification is
left alone), one attempt per run; a transient failure raises :class:`RetryLater` so the job queue
runs it again after a back-off, until ``settings.notify_attempts`` is spent.
"""
from __future__ import annotations

import logging

from sqlalchemy import event as sa_event, select
from sqlalchemy.orm import Session

from hotline import db, events, jobs, settings
from hotline.models import Case, utcnow
from hotline.notifications import adapters, message
from hotline.notifications.models import Notification

log = logging.getLogger(__name__)

NOTIFY_ON = ("answered", "closed")
JOB = "hotline.notifications.dispatch.deliver"


class RetryLater(Exception):
    """A transient gateway failure: the job queue runs the delivery again after a back-off."""


def queue(session: Session, case: Case, status: str) -> Notification | None:
    """Record a queued notification of ``status`` for ``case`` and send it once committed."""
    if status not in NOTIFY_ON:
        return None
    row = Notification(case_id=case.id, status=status, state="queued", attempts=0,
                       channel=adapters.configured().name)
    session.add(row)
    session.flush()
    session.info.setdefault("pending_notifications", []).append(row.id)
    _announce(session, row, case)
    return row


@sa_event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    if session.in_nested_transaction():  # a SAVEPOINT released: the row is not committed yet
        return
    pending = session.info.pop("pending_notifications", [])
    if pending:
        url = session.get_bind().url.render_as_string(hide_password=False)
        for notification_id in pending:
            enqueue(notification_id, url)


@sa_event.listens_for(Session, "after_rollback")
def _drop_uncommitted(session: Session) -> None:
    session.info.pop("pending_notifications", None)


def enqueue(notification_id: int, database_url: str | None = None) -> str:
    """Put the delivery of one notification on the job queue."""
    # The in-process worker is pinned to the database that holds the row; with Redis every
    # worker has the same settings, and a URL (with its password) stays out of the queue.
    url = database_url if settings.get().embedded else None
    return jobs.enqueue(JOB, notification_id, url, job_id=f"notify-{notification_id}",
                        retries=settings.get().notify_attempts - 1, timeout=120)


def deliver(notification_id: int, database_url: str | None = None) -> str:
    """One delivery attempt; returns the resulting state (raises RetryLater to be run again)."""
    retry = None
    with db.session_scope(database_url) as session:
        row = session.get(Notification, notification_id, with_for_update=True)
        if row is None or row.state != "queued":
            return row.state if row else "missing"
        case = session.get(Case, row.case_id)
        row.attempts += 1
        to = message.recipient(session, case)
        try:
            if to is None:
                raise adapters.DeliveryError("no phone number for the complainant", transient=False)
            adapter = adapters.ADAPTERS.get(row.channel, adapters.LogOnly)()
            pieces = message.parts(session, case, row.status)
            row.provider_id = adapter.send(to, pieces, message.text(pieces, case.language), case.language)
            row.state, row.sent_at, row.reason = "sent", utcnow(), None
        except adapters.DeliveryError as exc:
            row.reason = str(exc)[:1000]
            if exc.transient and row.attempts < settings.get().notify_attempts:
                retry = f"notification {row.id}, attempt {row.attempts}: {exc}"
            else:
                row.state = "failed"
        log.info("notification %s of case %s: %s after %s attempt(s)%s", row.id, case.number,
                 row.state, row.attempts, f" ({row.reason})" if row.reason else "")
        _announce(session, row, case)
        state = row.state
    if retry:
        raise RetryLater(retry)
    return state


def for_case(session: Session, case_id: int) -> list[Notification]:
    """The case's notifications, newest first (shown on the case)."""
    return list(session.scalars(select(Notification).where(Notification.case_id == case_id)
                                .order_by(Notification.id.desc())))


def _announce(session: Session, row: Notification, case: Case) -> None:
    events.publish_after_commit(session, events.Event(
        f"notification.{row.state}", case_id=case.id,
        payload={"notification_id": row.id, "number": case.number, "status": row.status,
                 "channel": row.channel, "state": row.state, "attempts": row.attempts,
                 "reason": row.reason, "entity_id": case.entity_id}))
