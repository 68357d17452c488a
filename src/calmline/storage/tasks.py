"""Follow-up tasks, complaint topics, note edits and the webhook outbox: storing them and
finding them again."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, true, update
from sqlalchemy.orm import Session

from calmline.commitments import PlannedTask
from calmline.opportunities import HISTORY_WINDOW_DAYS
from calmline.storage.models import (
    Call,
    CallNoteEdit,
    CallTopicRow,
    FollowUpTask,
    StoredReport,
    WebhookDelivery,
)
from calmline.storage.types import utcnow
from calmline.tasks.history import CustomerHistory, OpenTask, PastCall
from calmline.tasks.model import PENDING_STATUSES, TaskRecord, TaskStatus, effective_status
from calmline.topics import CallTopic

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"


def record_of(row: FollowUpTask, now: datetime) -> TaskRecord:
    """The task as the core sees it, its status as of ``now``."""
    return TaskRecord(row.id, row.call_id, row.type, row.owner, row.agent_id, row.customer_id, row.what,
                      row.quote, row.turn_index, row.due_phrase, row.due_at,
                      effective_status(TaskStatus(row.status), row.due_at, now), row.created_at)


def add_tasks(session: Session, call: Call, planned: Sequence[PlannedTask]) -> list[FollowUpTask]:
    """Store a finished call's tasks, once: a call that already has tasks gets none again
    (a live call closed twice, a report stored again)."""
    if session.scalar(select(FollowUpTask.id).where(FollowUpTask.call_id == call.id).limit(1)):
        return []
    now = utcnow()
    rows = [FollowUpTask(id=uuid.uuid4().hex, call_id=call.id, type=p.type.value, owner=p.owner.value,
                         agent_id=call.agent_id, customer_id=call.customer_id, what=p.what[:2000],
                         quote=p.quote[:2000] if p.quote else None, turn_index=p.turn_index,
                         due_phrase=p.due_phrase[:255] if p.due_phrase else None,
                         due_at=p.due.at.astimezone(UTC), due_rule=p.due.rule.value, reason=p.reason[:64],
                         status=TaskStatus.OPEN.value, created_at=now, updated_at=now)
            for p in planned]
    session.add_all(rows)
    session.flush()
    return rows


def store_topics(session: Session, call_id: str, topics: Sequence[CallTopic]) -> None:
    session.query(CallTopicRow).filter(CallTopicRow.call_id == call_id).delete()
    session.add_all(CallTopicRow(call_id=call_id, topic=t.topic, name=t.name, hits=t.hits,
                                 evidence=json.dumps([{"turn_index": e.turn_index, "quote": e.quote}
                                                      for e in t.evidence], ensure_ascii=False))
                    for t in topics)
    session.flush()


def call_topics(session: Session, call_id: str) -> list[CallTopicRow]:
    return list(session.scalars(select(CallTopicRow).where(CallTopicRow.call_id == call_id)
                                .order_by(CallTopicRow.hits.desc(), CallTopicRow.topic)))


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """Search terms for tasks; every given term must hold."""

    status: TaskStatus | None = None
    agent_id: str | None = None
    customer_id: str | None = None
    call_id: str | None = None
    type: str | None = None
    due_before: datetime | None = None


def visible_tasks(calls_where: ColumnElement[bool]) -> ColumnElement[bool]:
    """Tasks of the calls one may see (the same rule as for calls)."""
    return FollowUpTask.call_id.in_(select(Call.id).where(calls_where))


def search_tasks(session: Session, where: ColumnElement[bool], terms: TaskFilter, now: datetime, *,
                 limit: int, offset: int) -> tuple[list[FollowUpTask], int]:
    """Tasks in scope matching ``terms``, soonest due first, and the total count."""
    from sqlalchemy import func

    query = select(FollowUpTask).where(where, *_conditions(terms, now))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = query.order_by(FollowUpTask.due_at, FollowUpTask.id).limit(limit).offset(offset)
    return list(session.scalars(page)), total


def recently_closed(session: Session, where: ColumnElement[bool], terms: TaskFilter, since: datetime, *,
                    limit: int) -> list[FollowUpTask]:
    """Tasks in scope matching ``terms`` (given without a status) that were marked done or
    cancelled since ``since``, the latest closed first: where a closed task has gone."""
    closed = [TaskStatus.DONE.value, TaskStatus.CANCELLED.value]
    query = select(FollowUpTask).where(where, *_conditions(terms, since), FollowUpTask.status.in_(closed),
                                       FollowUpTask.updated_at >= since)
    return list(session.scalars(query.order_by(FollowUpTask.updated_at.desc(), FollowUpTask.id).limit(limit)))


def _conditions(terms: TaskFilter, now: datetime) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    simple = ((terms.agent_id, FollowUpTask.agent_id), (terms.customer_id, FollowUpTask.customer_id),
              (terms.call_id, FollowUpTask.call_id), (terms.type, FollowUpTask.type))
    found.extend(column == value for value, column in simple if value is not None)
    if terms.due_before is not None:
        found.append(FollowUpTask.due_at < terms.due_before)
    status = terms.status
    if status is TaskStatus.OVERDUE:  # marked by the sweep, or open and past due already
        found.append(FollowUpTask.status.in_([s.value for s in PENDING_STATUSES]))
        found.append(FollowUpTask.due_at < now)
    elif status is TaskStatus.OPEN:
        found.append(FollowUpTask.status == TaskStatus.OPEN.value)
        found.append(FollowUpTask.due_at >= now)
    elif status is not None:
        found.append(FollowUpTask.status == status.value)
    return found


def set_status(session: Session, task: FollowUpTask, status: TaskStatus, by: str | None) -> None:
    task.status = status.value
    task.updated_at = utcnow()
    task.closed_by = by[:64] if by and status in (TaskStatus.DONE, TaskStatus.CANCELLED) else None
    session.flush()


def mark_overdue(session: Session, now: datetime, limit: int = 500) -> list[FollowUpTask]:
    """Open tasks past their due time, now marked overdue (each exactly once)."""
    rows = list(session.scalars(select(FollowUpTask).where(FollowUpTask.status == TaskStatus.OPEN.value,
                                                           FollowUpTask.due_at < now)
                                .order_by(FollowUpTask.due_at).limit(limit)))
    marked = []
    for row in rows:
        claimed = session.execute(update(FollowUpTask).where(FollowUpTask.id == row.id,
                                                             FollowUpTask.status == TaskStatus.OPEN.value)
                                  .values(status=TaskStatus.OVERDUE.value, updated_at=now))
        if getattr(claimed, "rowcount", 0) == 1:
            marked.append(row)
    session.expire_all()
    return marked


def customer_history(session: Session, customer_id: str, now: datetime, *, exclude_call: str | None = None,
                     calls_where: ColumnElement[bool] | None = None) -> CustomerHistory:
    """The customer's closed calls of the last 30 days (newest first), their topics and
    outcomes, and the tasks still owed to them; only calls (and their tasks) within
    ``calls_where`` when given."""
    scope = calls_where if calls_where is not None else true()
    since = now - timedelta(days=HISTORY_WINDOW_DAYS)
    calls = list(session.execute(
        select(Call.id, Call.occurred_at, StoredReport.body)
        .join(StoredReport, StoredReport.call_id == Call.id)
        .where(Call.customer_id == customer_id, Call.occurred_at >= since, Call.occurred_at <= now,
               Call.id != (exclude_call or ""),
               scope)
        .order_by(Call.occurred_at.desc()).limit(50)))
    topics: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    if calls:
        ids = [c[0] for c in calls]
        for row in session.scalars(select(CallTopicRow).where(CallTopicRow.call_id.in_(ids))):
            topics.setdefault(row.call_id, []).append(row.topic)
            names[row.topic] = row.name
    past = tuple(PastCall(call_id, occurred, tuple(topics.get(call_id, ())), _outcome(body))
                 for call_id, occurred, body in calls)
    owed = session.scalars(select(FollowUpTask).where(
        FollowUpTask.customer_id == customer_id, visible_tasks(scope),
        FollowUpTask.status.in_([s.value for s in PENDING_STATUSES])).order_by(FollowUpTask.due_at).limit(20))
    return CustomerHistory(customer_id, past, tuple(OpenTask(t.what, t.due_at, t.due_at < now) for t in owed),
                           names)


def _outcome(body: str) -> str | None:
    try:
        resolution = json.loads(body)["outcome"]["resolution"]
    except (ValueError, KeyError, TypeError):
        return None
    return resolution if isinstance(resolution, str) else None


def topic_trends(session: Session, calls_where: ColumnElement[bool], since: datetime) -> list[dict[str, Any]]:
    """Calls per complaint topic per ISO week (weeks start on Monday, UTC), oldest first."""
    rows = session.execute(select(Call.occurred_at, CallTopicRow.topic)
                           .join(CallTopicRow, CallTopicRow.call_id == Call.id)
                           .where(calls_where, Call.occurred_at >= since))
    counts: Counter[tuple[str, str]] = Counter()
    for occurred, topic in rows:
        day = occurred.astimezone(UTC).date()
        counts[((day - timedelta(days=day.weekday())).isoformat(), topic)] += 1
    return [{"week": week, "topic": topic, "calls": n} for (week, topic), n in sorted(counts.items())]


def add_note_edit(session: Session, call_id: str, body: dict[str, Any], editor: str | None) -> CallNoteEdit:
    edit = CallNoteEdit(call_id=call_id, body=json.dumps(body, ensure_ascii=False), editor=editor,
                        edited_at=utcnow())
    session.add(edit)
    session.flush()
    return edit


def note_edits(session: Session, call_id: str) -> list[CallNoteEdit]:
    """Every edit of a call's notes, newest first."""
    return list(session.scalars(select(CallNoteEdit).where(CallNoteEdit.call_id == call_id)
                                .order_by(CallNoteEdit.id.desc())))


def enqueue_delivery(session: Session, event: str, task: FollowUpTask, url: str,
                     payload: dict[str, Any]) -> None:
    session.add(WebhookDelivery(event=event, task_id=task.id, url=url, status=PENDING, attempts=0,
                                payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
                                next_attempt_at=utcnow(), created_at=utcnow()))


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """A delivery leased to one worker: what it needs to make the attempt."""

    id: int
    event: str
    task_id: str | None
    url: str
    payload: str


def claim_deliveries(session: Session, now: datetime, lease: timedelta, limit: int) -> list[ClaimedDelivery]:
    """Pending deliveries whose time has come, each leased to this worker (another worker
    that read the same row loses the race and skips it)."""
    rows = list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.status == PENDING,
                                                              WebhookDelivery.next_attempt_at <= now)
                                .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)))
    claimed = []
    for row in rows:
        result = session.execute(update(WebhookDelivery)
                                 .where(WebhookDelivery.id == row.id,
                                        WebhookDelivery.next_attempt_at == row.next_attempt_at)
                                 .values(next_attempt_at=now + lease))
        if getattr(result, "rowcount", 0) == 1:
            claimed.append(ClaimedDelivery(row.id, row.event, row.task_id, row.url, row.payload))
    return claimed


def deliveries(session: Session, status: str | None, limit: int, offset: int) -> list[WebhookDelivery]:
    query = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit).offset(offset)
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    return list(session.scalars(query))
