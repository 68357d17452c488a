"""/v1/tasks and its neighbours: follow-up tasks (list, due view, status, CSV and iCalendar
exports), complaint topics and their weekly trend, a customer's history, agents' edits of
call notes, and the webhook delivery log. Tasks follow their call's access rule."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from calmline.api.errors import ApiError, responses
from calmline.api.security import AdminUser, CurrentUser
from calmline.api.state import service_state
from calmline.report import to_plain
from calmline.storage import audit
from calmline.storage.access import visible_calls
from calmline.storage.accounts import Principal
from calmline.storage.calls import stored_report
from calmline.storage.models import Call, FollowUpTask
from calmline.storage.tasks import (
    TaskFilter,
    add_note_edit,
    call_topics,
    customer_history,
    deliveries,
    note_edits,
    record_of,
    search_tasks,
    set_status,
    topic_trends,
    visible_tasks,
)
from calmline.storage.types import utcnow
from calmline.tasks.exports import tasks_csv, tasks_ical
from calmline.tasks.model import TaskStatus

router = APIRouter(tags=["tasks"])

Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
# The most tasks one export holds; page with offset beyond it.
MAX_EXPORT = 5000


class TaskOut(BaseModel):
    id: str
    call_id: str
    type: str = Field(description="follow_up_call, callback, refund_check, supervisor_escalation, "
                                  "written_response")
    owner: str = Field(description="agent, team or customer")
    agent_id: str | None
    customer_id: str | None
    what: str
    quote: str | None
    turn_index: int | None
    due_phrase: str | None = Field(description="The time as said on the call; null when none was.")
    due_at: datetime
    status: str = Field(description="open, done, cancelled, or overdue (open and past due)")
    created_at: datetime

    @classmethod
    def of(cls, row: FollowUpTask, now: datetime) -> TaskOut:
        return cls.model_validate(to_plain(record_of(row, now)))


class TaskPage(BaseModel):
    items: list[TaskOut]
    total: int
    limit: int
    offset: int


class TaskChange(BaseModel):
    status: Literal["open", "done", "cancelled"]


class NoteEditIn(BaseModel):
    # No NUL: it carries nothing in notes, and PostgreSQL cannot store it.
    text: Annotated[str, Field(min_length=1, max_length=20_000, pattern=r"^[^\x00]*$",
                               description="The agent's notes.")]


class NotesOut(BaseModel):
    call_id: str
    generated: dict[str, Any] | None = Field(description="The notes calmline wrote (never changed).")
    edited: dict[str, Any] | None = Field(description="The agent's latest edit: text, editor, edited_at.")
    edits: int = Field(description="How many times the notes were edited.")


def _terms(status: str | None, agent_id: str | None, customer_id: str | None, call_id: str | None,
           type: str | None, due_before: datetime | None) -> TaskFilter:
    return TaskFilter(TaskStatus(status) if status else None, agent_id, customer_id, call_id, type,
                      due_before)


StatusQuery = Annotated[str | None, Query(pattern="^(open|done|cancelled|overdue)$")]
TypeQuery = Annotated[str | None, Query(pattern="^(follow_up_call|callback|refund_check|"
                                                "supervisor_escalation|written_response)$")]
Text128 = Annotated[str | None, Query(max_length=128)]


@router.get("/v1/tasks", response_model=TaskPage, responses=responses(401, 422))
def list_tasks(request: Request, who: CurrentUser, status: StatusQuery = None, agent_id: Text128 = None,
               customer_id: Text128 = None, call_id: Text128 = None, type: TypeQuery = None,
               due_before: datetime | None = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 50,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> TaskPage:
    """Tasks of the calls you may see, soonest due first, filtered by every term given."""
    now = utcnow()
    terms = _terms(status, agent_id, customer_id, call_id, type, due_before)
    with service_state(request).database.session() as db:
        scope = visible_tasks(visible_calls(who))
        rows, total = search_tasks(db, scope, terms, now, limit=limit, offset=offset)
        items = [TaskOut.of(r, now) for r in rows]
    return TaskPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/v1/tasks/due", response_model=list[TaskOut], responses=responses(401, 422))
def due_tasks(request: Request, who: CurrentUser,
              within_hours: Annotated[float, Query(gt=0, le=24 * 90)] = 24.0,
              limit: Annotated[int, Query(ge=1, le=500)] = 200) -> list[TaskOut]:
    """The due-and-overdue view: open tasks due within ``within_hours`` and every overdue
    one, most overdue first (what the web app's overdue page shows)."""
    now = utcnow()
    terms = TaskFilter(due_before=now + timedelta(hours=within_hours))
    with service_state(request).database.session() as db:
        rows, _ = search_tasks(db, visible_tasks(visible_calls(who)), terms, now, limit=limit, offset=0)
        return [TaskOut.of(r, now) for r in rows if r.status in ("open", "overdue")]


@router.get("/v1/tasks/export", responses={200: {"content": {"text/csv": {}, "text/calendar": {}}},
                                           **responses(401, 422)})
def export_tasks(request: Request, who: CurrentUser, format: Annotated[str, Query(pattern="^(csv|ics)$")],
                 status: StatusQuery = None, agent_id: Text128 = None, customer_id: Text128 = None,
                 type: TypeQuery = None, due_before: datetime | None = None) -> Response:
    """The tasks you may see as CSV or as an iCalendar file of to-dos (RFC 5545)."""
    now = utcnow()
    terms = _terms(status, agent_id, customer_id, None, type, due_before)
    with service_state(request).database.session() as db:
        rows, _ = search_tasks(db, visible_tasks(visible_calls(who)), terms, now, limit=MAX_EXPORT, offset=0)
        records = [record_of(r, now) for r in rows]
    if format == "csv":
        return Response(tasks_csv(records), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="calmline-tasks.csv"'})
    return Response(tasks_ical(records, now), media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="calmline-tasks.ics"'})


def _task_for(db: DbSession, who: Principal, task_id: str) -> FollowUpTask:
    scope = visible_tasks(visible_calls(who))
    task = db.scalar(select(FollowUpTask).where(FollowUpTask.id == task_id, scope))
    if task is None:
        raise ApiError(404, f"no task {task_id!r} that you may see")
    return task


@router.get("/v1/tasks/{task_id}", response_model=TaskOut, responses=responses(401, 404, 422))
def read_task(request: Request, who: CurrentUser, task_id: Id) -> TaskOut:
    with service_state(request).database.session() as db:
        return TaskOut.of(_task_for(db, who, task_id), utcnow())


@router.patch("/v1/tasks/{task_id}", response_model=TaskOut, responses=responses(401, 404, 422))
def change_task(request: Request, who: CurrentUser, task_id: Id, change: TaskChange) -> TaskOut:
    """Mark a task done or cancelled (or open it again)."""
    with service_state(request).database.session() as db:
        task = _task_for(db, who, task_id)
        set_status(db, task, TaskStatus(change.status), who.username)
        audit.record(db, who, f"task.{change.status}", task.call_id, detail=task.id)
        return TaskOut.of(task, utcnow())


def _visible_call(db: DbSession, who: Principal, call_id: str) -> Call:
    call = db.scalar(select(Call).where(Call.id == call_id, visible_calls(who)))
    if call is None:
        raise ApiError(404, f"no call {call_id!r} that you may see")
    return call


@router.get("/v1/calls/{call_id}/topics", responses=responses(401, 404, 422))
def read_topics(request: Request, who: CurrentUser, call_id: Id) -> list[dict[str, Any]]:
    """The call's complaint topics, most mentioned first, each with its evidence."""
    with service_state(request).database.session() as db:
        _visible_call(db, who, call_id)
        return [{"topic": t.topic, "name": t.name, "hits": t.hits, "evidence": json.loads(t.evidence)}
                for t in call_topics(db, call_id)]


@router.get("/v1/topics/trends", responses=responses(401, 422))
def trends(request: Request, who: CurrentUser,
           weeks: Annotated[int, Query(ge=1, le=104)] = 8) -> list[dict[str, Any]]:
    """Calls per complaint topic per week (weeks start on Monday, UTC), for the team page."""
    since = utcnow() - timedelta(weeks=weeks)
    with service_state(request).database.session() as db:
        return topic_trends(db, visible_calls(who), since)


@router.get("/v1/customers/{customer_id}/history", responses=responses(401, 422))
def history(request: Request, who: CurrentUser, customer_id: Annotated[str, Path(max_length=128)]
            ) -> dict[str, Any]:
    """The customer's calls of the last 30 days that you may see, their topics and outcomes,
    and their open tasks."""
    with service_state(request).database.session() as db:
        found = customer_history(db, customer_id, utcnow(), calls_where=visible_calls(who))
    plain: dict[str, Any] = to_plain(found)
    plain["last_outcome"] = found.last_outcome
    return plain


@router.get("/v1/calls/{call_id}/notes", response_model=NotesOut, responses=responses(401, 404, 422))
def read_notes(request: Request, who: CurrentUser, call_id: Id) -> NotesOut:
    """The generated notes and the agent's latest edit, side by side."""
    with service_state(request).database.session() as db:
        _visible_call(db, who, call_id)
        return _notes(db, call_id)


@router.put("/v1/calls/{call_id}/notes", response_model=NotesOut, responses=responses(401, 404, 409, 422))
def edit_notes(request: Request, who: CurrentUser, call_id: Id, edit: NoteEditIn) -> NotesOut:
    """Save the agent's version of the notes; the generated notes are kept unchanged beside it
    and every earlier edit is kept too."""
    with service_state(request).database.session() as db:
        call = _visible_call(db, who, call_id)
        if call.status != "closed":
            raise ApiError(409, "the call is still live; edit its notes once it has ended")
        add_note_edit(db, call_id, {"text": edit.text}, who.username)
        audit.record(db, who, "call.notes.edit", call_id)
        return _notes(db, call_id)


def _notes(db: DbSession, call_id: str) -> NotesOut:
    report = stored_report(db, call_id)
    edits = note_edits(db, call_id)
    latest = None
    if edits:
        latest = {**json.loads(edits[0].body), "editor": edits[0].editor,
                  "edited_at": edits[0].edited_at.isoformat()}
    return NotesOut(call_id=call_id, generated=report.get("notes") if report else None, edited=latest,
                    edits=len(edits))


@router.get("/v1/webhooks/deliveries", responses=responses(401, 403, 422))
def webhook_log(request: Request, who: AdminUser,
                status: Annotated[str | None, Query(pattern="^(pending|delivered|failed)$")] = None,
                limit: Annotated[int, Query(ge=1, le=500)] = 100,
                offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> list[dict[str, Any]]:
    """Webhook deliveries, newest first: attempts, last HTTP status and error (admins)."""
    with service_state(request).database.session() as db:
        return [{"id": d.id, "event": d.event, "task_id": d.task_id, "url": d.url, "status": d.status,
                 "attempts": d.attempts, "next_attempt_at": d.next_attempt_at.isoformat(),
                 "last_status": d.last_status, "last_error": d.last_error,
                 "created_at": d.created_at.isoformat(),
                 "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None}
                for d in deliveries(db, status, limit, offset)]
