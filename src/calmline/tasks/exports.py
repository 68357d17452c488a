"""Tasks as CSV (for spreadsheets) and as iCalendar to-dos (RFC 5545, for calendars).
Pure: the caller passes the time stamp and writes the text where it wants."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime

from calmline.tasks.model import TaskRecord, TaskStatus

CSV_COLUMNS = ("id", "type", "status", "owner", "agent_id", "customer_id", "due_at", "due_phrase", "what",
               "call_id", "turn_index", "quote", "created_at")
# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PRODID = "-//calmline//follow-up tasks//EN"
# RFC 5545 §3.1: content lines are folded at 75 octets.
FOLD_OCTETS = 75
_ICAL_STATUS = {TaskStatus.OPEN: "NEEDS-ACTION", TaskStatus.OVERDUE: "NEEDS-ACTION",
                TaskStatus.DONE: "COMPLETED", TaskStatus.CANCELLED: "CANCELLED"}


def tasks_csv(tasks: Iterable[TaskRecord]) -> str:
    """One row per task under a header row; cells that a spreadsheet would run as a
    formula are quoted with a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for task in tasks:
        writer.writerow([_cell(v) for v in _csv_values(task)])
    return out.getvalue()


def _csv_values(task: TaskRecord) -> tuple[object, ...]:
    return (task.id, task.type, task.status.value, task.owner, task.agent_id, task.customer_id,
            _utc(task.due_at), task.due_phrase, task.what, task.call_id, task.turn_index, task.quote,
            _utc(task.created_at))


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def tasks_ical(tasks: Iterable[TaskRecord], stamp: datetime) -> str:
    """A VCALENDAR with one VTODO per task, due at its due time (UTC), CRLF-terminated
    and folded as RFC 5545 requires."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for task in tasks:
        lines.extend(_todo(task, stamp))
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _todo(task: TaskRecord, stamp: datetime) -> list[str]:
    summary = f"{task.type.replace('_', ' ')}: {task.what}"
    description = "\n".join(part for part in (
        f"Owner: {task.owner}" + (f" ({task.agent_id})" if task.agent_id else ""),
        f"Customer: {task.customer_id}" if task.customer_id else "",
        f"Promised: {task.due_phrase}" if task.due_phrase else "",
        f"Said: {task.quote}" if task.quote else "",
        f"Call: {task.call_id}" + (f", turn {task.turn_index}" if task.turn_index is not None else ""),
    ) if part)
    return ["BEGIN:VTODO", f"UID:{task.id}@calmline", f"DTSTAMP:{_ical_time(stamp)}",
            f"CREATED:{_ical_time(task.created_at)}", f"DUE:{_ical_time(task.due_at)}",
            f"SUMMARY:{_escape(summary)}", f"DESCRIPTION:{_escape(description)}",
            f"STATUS:{_ICAL_STATUS[task.status]}", f"CATEGORIES:{_escape(task.type)}", "END:VTODO"]


def _ical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    """TEXT values (RFC 5545 §3.3.11); control characters other than newline are dropped."""
    clean = "".join(c for c in text if c == "\n" or (c >= " " and c != "\x7f"))
    return (clean.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, FOLD_OCTETS - 1  # continuation lines start with a space
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)
