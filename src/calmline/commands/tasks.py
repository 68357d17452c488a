"""`calmline tasks list|done|export` (straight on the service's database, like `calmline
users`) and `calmline topics check FILE`."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from calmline.tasks.model import TaskRecord

tasks_app = typer.Typer(help="Follow-up tasks: list them, mark them done, export them.", no_args_is_help=True)
topics_app = typer.Typer(help="Complaint-topic taxonomy files.", no_args_is_help=True)

out = Console()
err = Console(stderr=True)

DatabaseOption = Annotated[str | None, typer.Option(
    "--database-url", help="Database URL (default: CALMLINE_DATABASE_URL, else sqlite:///calmline.db).")]


class StatusChoice(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"
    OVERDUE = "overdue"


class ExportFormat(StrEnum):
    CSV = "csv"
    ICS = "ics"


StatusOption = Annotated[StatusChoice | None, typer.Option(help="Only tasks with this status.")]
AgentOption = Annotated[str | None, typer.Option("--agent", help="Only this agent's tasks.")]
CustomerOption = Annotated[str | None, typer.Option("--customer", help="Only this customer's tasks.")]
DueBeforeOption = Annotated[datetime | None, typer.Option(help="Only tasks due before this time (UTC).")]


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(2)


@tasks_app.command("list")
def tasks_list(status: StatusOption = None, agent: AgentOption = None, customer: CustomerOption = None,
               due_before: DueBeforeOption = None,
               as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one task a line.")] = False,
               limit: Annotated[int, typer.Option(min=1, max=10_000)] = 200,
               database_url: DatabaseOption = None) -> None:
    """List tasks, soonest due first."""
    from calmline.report import to_plain

    records = _records(database_url, status, agent, customer, due_before, limit)
    if as_json:
        for record in records:
            sys.stdout.write(json.dumps(to_plain(record), ensure_ascii=False) + "\n")
        return
    table = Table(title=f"Tasks ({len(records)})")
    for column in ("id", "type", "status", "owner", "agent", "customer", "due (UTC)", "what"):
        table.add_column(column)
    for r in records:
        table.add_row(r.id[:12], r.type, r.status.value, r.owner, r.agent_id or "", r.customer_id or "",
                      r.due_at.strftime("%Y-%m-%d %H:%M"), r.what[:60])
    out.print(table)


@tasks_app.command("done")
def tasks_done(task_id: Annotated[str, typer.Argument(help="The task's id (or a unique prefix of it).")],
               cancel: Annotated[bool, typer.Option("--cancel", help="Cancel it instead.")] = False,
               database_url: DatabaseOption = None) -> None:
    """Mark a task done (or cancelled)."""
    from sqlalchemy import select

    from calmline.commands.users import users_database
    from calmline.storage.models import FollowUpTask
    from calmline.storage.tasks import set_status
    from calmline.tasks.model import TaskStatus

    if not task_id.strip() or len(task_id) > 64:
        raise _fail("give a task id (see `calmline tasks list`)")
    database = users_database(database_url)
    try:
        with database.session() as db:
            found = list(db.scalars(select(FollowUpTask).where(FollowUpTask.id.startswith(task_id,
                                                                                          autoescape=True))
                                    .limit(2)))
            if len(found) != 1:
                raise _fail(f"{'no' if not found else 'more than one'} task matches {task_id!r}")
            status = TaskStatus.CANCELLED if cancel else TaskStatus.DONE
            set_status(db, found[0], status, "cli")
            out.print(f"task {found[0].id} is {status.value}", highlight=False)
    finally:
        database.dispose()


@tasks_app.command("export")
def tasks_export(format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.CSV,
                 output: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: stdout).")]
                 = None,
                 status: StatusOption = None, agent: AgentOption = None, customer: CustomerOption = None,
                 due_before: DueBeforeOption = None, database_url: DatabaseOption = None) -> None:
    """Export tasks as CSV or as an iCalendar file of to-dos (RFC 5545)."""
    from calmline.storage.types import utcnow
    from calmline.tasks.exports import tasks_csv, tasks_ical

    records = _records(database_url, status, agent, customer, due_before, 5000)
    text = tasks_csv(records) if format is ExportFormat.CSV else tasks_ical(records, utcnow())
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror or exc}") from None
    err.print(f"wrote {len(records)} task(s) to {output}", highlight=False)


def _records(url: str | None, status: StatusChoice | None, agent: str | None, customer: str | None,
             due_before: datetime | None, limit: int) -> list[TaskRecord]:
    from sqlalchemy import true

    from calmline.commands.users import users_database
    from calmline.storage.tasks import TaskFilter, record_of, search_tasks
    from calmline.storage.types import utcnow
    from calmline.tasks.model import TaskStatus

    if due_before is not None and due_before.tzinfo is None:
        due_before = due_before.replace(tzinfo=UTC)
    terms = TaskFilter(TaskStatus(status.value) if status else None, agent, customer, None, None, due_before)
    database = users_database(url)
    try:
        with database.session() as db:
            now = utcnow()
            rows, _ = search_tasks(db, true(), terms, now, limit=limit, offset=0)
            return [record_of(r, now) for r in rows]
    finally:
        database.dispose()


@topics_app.command("check")
def topics_check(path: Annotated[Path, typer.Argument(help="A taxonomy YAML file.")]) -> None:
    """Validate a complaint-topic taxonomy file and list its topics."""
    from calmline.errors import CalmlineError
    from calmline.topics import load_taxonomy

    try:
        taxonomy = load_taxonomy(path)
    except CalmlineError as exc:
        raise _fail(exc.message) from None
    out.print(f"{taxonomy.name} (version {taxonomy.version}): {len(taxonomy.topics)} topics — "
              + ", ".join(t.id for t in taxonomy.topics), highlight=False)
