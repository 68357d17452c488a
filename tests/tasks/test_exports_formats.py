"""Exports: tasks as CSV (safe to open in a spreadsheet) and as iCalendar to-dos that a
real RFC 5545 parser reads back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import icalendar
import pytest

from calmline.tasks.exports import CSV_COLUMNS, tasks_csv, tasks_ical
from calmline.tasks.model import TaskRecord, TaskStatus

STAMP = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)


def _task(n: int = 1, what: str = "I'll call you back by Friday with an update.",
          status: TaskStatus = TaskStatus.OPEN,
          quote: str | None = "I'll call you back by Friday.") -> TaskRecord:
    due, created = datetime(2026, 3, 6, 17, 0, tzinfo=UTC), datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    return TaskRecord(f"t{n:031d}", "call-1", "callback", "agent", "ag-7", "cu-1", what, quote, 14,
                      "by Friday", due, status, created)


def test_csv_has_a_header_and_one_row_per_task() -> None:
    rows = list(csv.reader(io.StringIO(tasks_csv([_task(1), _task(2)]))))
    assert rows[0] == list(CSV_COLUMNS)
    assert [r[0] for r in rows[1:]] == [_task(1).id, _task(2).id]
    assert rows[1][CSV_COLUMNS.index("due_at")] == "2026-03-06T17:00:00Z"


@pytest.mark.parametrize("hostile", ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)"])
def test_csv_cells_never_run_as_formulas(hostile: str) -> None:
    rows = list(csv.reader(io.StringIO(tasks_csv([_task(what=hostile)]))))
    assert rows[1][CSV_COLUMNS.index("what")] == "'" + hostile


def test_csv_keeps_commas_quotes_and_newlines() -> None:
    what = 'Refund "both" charges, then\ncall back'
    rows = list(csv.reader(io.StringIO(tasks_csv([_task(what=what)]))))
    assert rows[1][CSV_COLUMNS.index("what")] == what


def test_empty_export_is_still_valid() -> None:
    assert tasks_csv([]).splitlines() == [",".join(CSV_COLUMNS)]
    calendar = icalendar.Calendar.from_ical(tasks_ical([], STAMP))
    assert calendar.walk("VTODO") == []


def test_ical_parses_as_rfc5545_with_one_todo_per_task() -> None:
    text = tasks_ical([_task(1), _task(2, status=TaskStatus.DONE)], STAMP)
    calendar = icalendar.Calendar.from_ical(text)
    todos = calendar.walk("VTODO")
    assert str(calendar["VERSION"]) == "2.0"
    assert [str(t["UID"]) for t in todos] == [f"{_task(1).id}@calmline", f"{_task(2).id}@calmline"]
    assert todos[0].decoded("DUE") == datetime(2026, 3, 6, 17, 0, tzinfo=UTC)
    assert [str(t["STATUS"]) for t in todos] == ["NEEDS-ACTION", "COMPLETED"]
    assert str(todos[0]["SUMMARY"]) == "callback: I'll call you back by Friday with an update."


def test_ical_lines_are_crlf_and_folded_within_75_octets() -> None:
    what = "Ünïcödé, ; \\ " * 40 + "😀" * 30
    text = tasks_ical([_task(what=what, quote="line one\nline two\r\nthree\x00\x07")], STAMP)
    lines = text.split("\r\n")
    assert lines[-1] == ""
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    todo = icalendar.Calendar.from_ical(text).walk("VTODO")[0]
    assert str(todo["SUMMARY"]) == f"callback: {what}"
    assert "Said: line one\nline two\nthree" in str(todo["DESCRIPTION"])


def test_ical_overdue_and_cancelled_statuses() -> None:
    text = tasks_ical([_task(1, status=TaskStatus.OVERDUE), _task(2, status=TaskStatus.CANCELLED)], STAMP)
    todos = icalendar.Calendar.from_ical(text).walk("VTODO")
    assert [str(t["STATUS"]) for t in todos] == ["NEEDS-ACTION", "CANCELLED"]
