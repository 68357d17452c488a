"""The tasks page: the follow-up tasks one may see, overdue first (with how late), then due
today and upcoming, and where closed ones went; marking a task done, cancelling it, or
reopening a closed one; the list shown as CSV or iCalendar. Tasks follow their call's access
rule: agents their own, supervisors their team's, admins all."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from calmline.api.followups import followups_for
from calmline.api.state import service_state
from calmline.commitments import TaskType
from calmline.storage import audit
from calmline.storage.access import visible_agents, visible_calls
from calmline.storage.accounts import Principal, UserRole
from calmline.storage.models import FollowUpTask
from calmline.storage.tasks import (
    TaskFilter,
    recently_closed,
    record_of,
    search_tasks,
    set_status,
    visible_tasks,
)
from calmline.storage.types import utcnow
from calmline.tasks.exports import tasks_csv, tasks_ical
from calmline.tasks.model import PENDING_STATUSES, TaskRecord, TaskStatus
from calmline.web import queries
from calmline.web.auth import Viewer
from calmline.web.routes import PageNotFound, form, page

router = APIRouter(include_in_schema=False)

# The due windows the page offers: how far ahead upcoming tasks are listed (today: to midnight).
WINDOWS = {"any": None, "today": None, "week": timedelta(days=7), "month": timedelta(days=30)}
STATUSES = ("open", "overdue", "done", "cancelled")
# How long a closed task stays on the due view (where it went after "done" or "cancel").
CLOSED_SHOWN = timedelta(days=7)
# The most tasks each section of the page lists (a supervisor reads the top of each; the rest
# is a filter or an export away), and the most one export holds.
PAGE_ROWS = 100
EXPORT_ROWS = 5000
# The audit event's detail holds the note beside the task id (the column is 255 characters).
MAX_NOTE_CHARS = 200
_TASK_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_OWNER = re.compile(r"^[^\x00-\x1f]{1,128}$")


class BadFilterError(ValueError):
    """A filter value the page does not know."""


@dataclass(frozen=True, slots=True)
class TaskQuery:
    """The page's filters; no status means the due view (open and overdue, then closed)."""

    status: TaskStatus | None = None
    type: TaskType | None = None
    window: str = "any"
    owner: str | None = None

    def query_string(self) -> str:
        """The filters as a URL query (the defaults left out), for links and exports."""
        given = {"status": self.status.value if self.status else None,
                 "type": self.type.value if self.type else None,
                 "window": None if self.window == "any" else self.window, "owner": self.owner}
        return urlencode({k: v for k, v in given.items() if v})


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One task as the page lists it: its section, due time in the configured zone, lateness."""

    task: TaskRecord
    section: str  # overdue, today, upcoming, done or cancelled
    due_local: datetime
    late: str | None


def parse_query(params: Mapping[str, str]) -> TaskQuery:
    """The filters in a query string; :class:`BadFilterError` names a value that is not known."""
    status = _choice("status", params.get("status", ""), STATUSES)
    kind = _choice("type", params.get("type", ""), [t.value for t in TaskType])
    window = _choice("due window", params.get("window", "") or "any", list(WINDOWS))
    owner = params.get("owner", "")
    if owner and not _OWNER.match(owner):
        raise BadFilterError("the owner filter must be an agent id of at most 128 characters")
    return TaskQuery(TaskStatus(status) if status else None, TaskType(kind) if kind else None, window,
                     owner or None)


def _choice(name: str, value: str, allowed: Sequence[str]) -> str:
    if value and value not in allowed:
        raise BadFilterError(f"{name} {value[:40]!r} is not known: use one of {', '.join(allowed)}")
    return value


def end_of_day(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight after ``now`` in ``zone`` (UTC): what counts as due today."""
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), zone).astimezone(UTC)


def lateness(due_at: datetime, now: datetime) -> str:
    """How late a task is, in the largest unit that reads naturally."""
    minutes = int((now - due_at).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min late"
    if minutes < 48 * 60:
        return f"{minutes // 60} h late"
    return f"{minutes // (24 * 60)} days late"


def row_of(task: TaskRecord, now: datetime, zone: ZoneInfo) -> TaskRow:
    """Where ``task`` goes on the page as of ``now``."""
    late = lateness(task.due_at, now) if task.status is TaskStatus.OVERDUE else None
    section = task.status.value
    if task.status is TaskStatus.OPEN:
        section = "today" if task.due_at < end_of_day(now, zone) else "upcoming"
    return TaskRow(task, section, task.due_at.astimezone(zone), late)


def due_before(query: TaskQuery, now: datetime, zone: ZoneInfo) -> datetime | None:
    if query.window == "today":
        return end_of_day(now, zone)
    span = WINDOWS[query.window]
    return None if span is None else now + span


def listing(db: Session, scope: ColumnElement[bool], query: TaskQuery, now: datetime,
            zone: ZoneInfo, limit: int = PAGE_ROWS) -> tuple[list[TaskRecord], int]:
    """The tasks the filters select, in page order (at most ``limit`` of each status), and how
    many matched in all: with no status, overdue then open (each soonest due first) then
    recently closed."""
    terms = TaskFilter(agent_id=query.owner, type=query.type.value if query.type else None,
                       due_before=due_before(query, now, zone))
    if query.status is not None:
        rows, total = search_tasks(db, scope, replace(terms, status=query.status), now,
                                   limit=limit, offset=0)
        return [record_of(r, now) for r in rows], total
    overdue, late_total = search_tasks(db, scope, replace(terms, status=TaskStatus.OVERDUE), now,
                                       limit=limit, offset=0)
    upcoming, open_total = search_tasks(db, scope, replace(terms, status=TaskStatus.OPEN), now,
                                        limit=limit, offset=0)
    closed = recently_closed(db, scope, terms, now - CLOSED_SHOWN, limit=limit)
    rows = [*overdue, *upcoming, *closed]
    return [record_of(r, now) for r in rows], late_total + open_total + len(closed)


def due_counts(db: Session, scope: ColumnElement[bool], now: datetime, zone: ZoneInfo) -> tuple[int, int]:
    """(due today, overdue) among every task in scope: the page header's badge."""
    today = TaskFilter(status=TaskStatus.OPEN, due_before=end_of_day(now, zone))
    _, due_today = search_tasks(db, scope, today, now, limit=1, offset=0)
    _, overdue = search_tasks(db, scope, TaskFilter(status=TaskStatus.OVERDUE), now, limit=1, offset=0)
    return due_today, overdue


def sections(rows: Sequence[TaskRow]) -> list[tuple[str, list[TaskRow]]]:
    """The rows grouped under the page's headings, in page order, empty groups left out."""
    order = ("overdue", "today", "upcoming", "done", "cancelled")
    return [(name, found) for name in order if (found := [r for r in rows if r.section == name])]


def _zone(request: Request) -> ZoneInfo:
    return followups_for(service_state(request).database).schedule.zone


def _scope(who: Principal) -> ColumnElement[bool]:
    return visible_tasks(visible_calls(who))


def _owners(db: Session, who: Principal) -> list[str]:
    """The agents whose tasks the viewer may filter by (none for an agent: theirs only)."""
    if who.role is UserRole.AGENT:
        return []
    return queries.agents_of_team(db, visible_agents(who), None)


def _check_owner(who: Principal, query: TaskQuery, owners: Sequence[str]) -> None:
    """An owner filter names an agent the viewer may see (an agent: only themselves)."""
    if query.owner is not None and query.owner not in owners and query.owner != who.agent_id:
        raise PageNotFound(f"no agent {query.owner!r} whose tasks you may see")


def _bad_filter(request: Request, who: Principal, error: BadFilterError) -> Response:
    return page(request, "error.html", who, 400, title="That filter is not known",
                message=f"{error} (see /tasks for the filters on offer).")


@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(request: Request, who: Viewer) -> Response:
    try:
        query = parse_query(request.query_params)
    except BadFilterError as error:
        return _bad_filter(request, who, error)
    now, zone = utcnow(), _zone(request)
    with service_state(request).database.session() as db:
        owners = _owners(db, who)
        _check_owner(who, query, owners)
        records, total = listing(db, _scope(who), query, now, zone)
        due_today, overdue = due_counts(db, _scope(who), now, zone)
    rows = [row_of(r, now, zone) for r in records]
    return page(request, "tasks.html", who, query=query, sections=sections(rows), shown=len(rows),
                total=total, due_today=due_today, overdue=overdue, owners=owners, zone=zone.key,
                statuses=STATUSES, types=[t.value for t in TaskType], here=_here(query),
                query_string=query.query_string(), closed_days=CLOSED_SHOWN.days, page_rows=PAGE_ROWS)


def _here(query: TaskQuery) -> str:
    found = query.query_string()
    return "/tasks" + (f"?{found}" if found else "")


@router.get("/tasks.csv")
def export_csv(request: Request, who: Viewer) -> Response:
    """The list the page shows, as CSV."""
    return _export(request, who, "csv")


@router.get("/tasks.ics")
def export_ics(request: Request, who: Viewer) -> Response:
    """The list the page shows, as an iCalendar file of to-dos."""
    return _export(request, who, "ics")


def _export(request: Request, who: Principal, kind: str) -> Response:
    try:
        query = parse_query(request.query_params)
    except BadFilterError as error:
        return _bad_filter(request, who, error)
    now, zone = utcnow(), _zone(request)
    with service_state(request).database.session() as db:
        _check_owner(who, query, _owners(db, who))
        found, _ = listing(db, _scope(who), query, now, zone, EXPORT_ROWS)
    # In the page's order, section by section.
    records = [row.task for _, rows in sections([row_of(r, now, zone) for r in found]) for row in rows]
    if kind == "csv":
        return Response(tasks_csv(records), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="calmline-tasks.csv"'})
    return Response(tasks_ical(records, now), media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="calmline-tasks.ics"'})


@router.post("/tasks/{task_id}/done", response_class=HTMLResponse)
async def mark_done(request: Request, who: Viewer, task_id: str) -> Response:
    return await _close(request, who, task_id, TaskStatus.DONE)


@router.post("/tasks/{task_id}/cancel", response_class=HTMLResponse)
async def cancel(request: Request, who: Viewer, task_id: str) -> Response:
    return await _close(request, who, task_id, TaskStatus.CANCELLED)


async def _close(request: Request, who: Principal, task_id: str, status: TaskStatus) -> Response:
    """Close a task the viewer may see, with the audit event the REST endpoint records (the
    note, when given, beside the task id)."""
    fields = await form(request)
    note = " ".join(fields.get("note", "").split())
    if len(note) > MAX_NOTE_CHARS:
        return page(request, "error.html", who, 422, title="The note is too long",
                    message=f"the note has {len(note)} characters; keep it to {MAX_NOTE_CHARS}. "
                            "Nothing was changed.")
    with service_state(request).database.session() as db:
        task = _visible_task(db, who, task_id)
        if TaskStatus(task.status) not in PENDING_STATUSES:
            return page(request, "error.html", who, 409, title="The task is closed already",
                        message=f"task {task_id} is {task.status} already; nothing was changed.")
        set_status(db, task, status, who.username)
        detail = f"{task.id} (web)" + (f": {note}" if note else "")
        audit.record(db, who, f"task.{status.value}", task.call_id, detail=detail)
    return RedirectResponse(_back_to(fields.get("next", "")), 303)


@router.post("/tasks/{task_id}/reopen", response_class=HTMLResponse)
async def reopen(request: Request, who: Viewer, task_id: str) -> Response:
    """Open a done or cancelled task again, with the audit event the REST endpoint records
    (whoever may close the task may reopen it)."""
    fields = await form(request)
    with service_state(request).database.session() as db:
        task = _visible_task(db, who, task_id)
        if TaskStatus(task.status) in PENDING_STATUSES:
            return page(request, "error.html", who, 409, title="The task is still open",
                        message=f"task {task_id} is {task.status}: only a done or cancelled task can "
                                "be reopened. Nothing was changed.")
        set_status(db, task, TaskStatus.OPEN, who.username)
        audit.record(db, who, f"task.{TaskStatus.OPEN.value}", task.call_id, detail=f"{task.id} (web)")
    return RedirectResponse(_back_to(fields.get("next", "")), 303)


def _visible_task(db: Session, who: Principal, task_id: str) -> FollowUpTask:
    task = None
    if _TASK_ID.match(task_id):
        task = db.scalar(select(FollowUpTask).where(FollowUpTask.id == task_id, _scope(who)))
    if task is None:
        raise PageNotFound(f"no task {task_id[:64]!r} that you may see")
    return task


def _back_to(target: str) -> str:
    """Back to the tasks page the form was on (its filters kept); nowhere else."""
    if target == "/tasks" or (target.startswith("/tasks?") and "\\" not in target):
        return target
    return "/tasks"
