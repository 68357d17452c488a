"""`calmline tasks list|done|export` and `calmline topics check` on a real database."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from calmline.cli import app
from calmline.commitments import Due, DueRule, PlannedTask, TaskType
from calmline.conversation import Conversation
from calmline.notes import Owner
from calmline.storage import open_database, upgrade_to_head
from calmline.storage.calls import create_call
from calmline.storage.playbooks import active_version
from calmline.storage.tasks import add_tasks
from calmline.topics import DEFAULT_TAXONOMY_PATH

runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A database with two tasks: one overdue (agent ann), one due next week (agent bob)."""
    url = f"sqlite:///{tmp_path / 'calmline.db'}"
    database = open_database(url)
    upgrade_to_head(database.engine)
    now = datetime.now(UTC)
    with database.session() as db:
        plan = (("ann", now - timedelta(days=1)), ("bob", now + timedelta(days=7)))
        for n, (agent, due) in enumerate(plan):
            call = create_call(db, Conversation(id=f"c{n}", turns=(), agent_id=agent, customer_id=f"cu-{n}"),
                               call_id=f"call-{n}", source="json", playbook_version_id=active_version(db).id,
                               redacted=False, submitted_by=None)
            add_tasks(db, call, [PlannedTask(TaskType.CALLBACK, Owner.AGENT, f"=call back {agent}",
                                             Due(due, DueRule.PHRASE), 2, "I'll call you back", "by Friday")])
    database.dispose()
    return url


def _listed(url: str, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["tasks", "list", "--json", "--database-url", url, *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_list_filters_by_status_and_agent(url: str) -> None:
    assert [t["agent_id"] for t in _listed(url)] == ["ann", "bob"]
    assert [t["agent_id"] for t in _listed(url, "--status", "overdue")] == ["ann"]
    assert [t["agent_id"] for t in _listed(url, "--status", "open")] == ["bob"]
    assert [t["agent_id"] for t in _listed(url, "--agent", "bob")] == ["bob"]
    table = runner.invoke(app, ["tasks", "list", "--database-url", url])
    assert table.exit_code == 0 and "callback" in table.stdout


def test_done_by_id_prefix(url: str) -> None:
    task_id = str(_listed(url, "--agent", "ann")[0]["id"])
    result = runner.invoke(app, ["tasks", "done", task_id[:10], "--database-url", url])
    assert result.exit_code == 0, result.output
    assert [t["status"] for t in _listed(url, "--agent", "ann")] == ["done"]
    assert _listed(url, "--status", "overdue") == []


@pytest.mark.parametrize(("task_id", "problem"), [("nope", "no task matches"), ("", "give a task id")])
def test_done_with_an_unknown_id_fails_clearly(url: str, task_id: str, problem: str) -> None:
    result = runner.invoke(app, ["tasks", "done", task_id, "--database-url", url])
    assert result.exit_code == 2
    assert problem in result.stderr


def test_export_csv_to_stdout_and_ics_to_a_file(url: str, tmp_path: Path) -> None:
    as_csv = runner.invoke(app, ["tasks", "export", "--format", "csv", "--database-url", url])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["agent_id"] for r in rows] == ["ann", "bob"]
    assert rows[0]["what"] == "'=call back ann"  # never a spreadsheet formula
    out = tmp_path / "tasks.ics"
    result = runner.invoke(app, ["tasks", "export", "-f", "ics", "-o", str(out), "--database-url", url])
    assert result.exit_code == 0, result.output
    todos = icalendar.Calendar.from_ical(out.read_text(encoding="utf-8")).walk("VTODO")
    assert len(todos) == 2


def test_export_to_an_unwritable_place_fails_clearly(url: str, tmp_path: Path) -> None:
    target = str(tmp_path / "no" / "dir.csv")
    result = runner.invoke(app, ["tasks", "export", "-o", target, "--database-url", url])
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_topics_check(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["topics", "check", str(DEFAULT_TAXONOMY_PATH)])
    assert ok.exit_code == 0 and "billing" in ok.stdout
    bad = tmp_path / "topics.yaml"
    bad.write_text("name: t\nversion: '1'\ntopics: []\n", encoding="utf-8")
    failed = runner.invoke(app, ["topics", "check", str(bad)])
    assert failed.exit_code == 2 and "E102" in failed.stderr
