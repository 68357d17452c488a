"""The tasks page over HTTP with the session cookie, on SQLite and on PostgreSQL: who sees
which tasks, the due view's order and lateness, filters, closing a task (with its audit
event), the exports, and bad input answered by an error page with nothing changed."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from calmline.api import Settings, create_app
from calmline.api.followups import TaskSettings
from calmline.storage import Database
from calmline.storage.accounts import UserRole, create_user, issue_token
from calmline.storage.models import AuditEvent, FollowUpTask
from calmline.tasks.model import TaskRecord, TaskStatus
from calmline.web.auth import COOKIE
from calmline.web.tasks_pages import end_of_day, lateness, row_of
from tests.service.conftest import bearer, empty_all_tables
from tests.tasks.service import submit

PASSWORD = "a long enough password"
ZONE = "America/New_York"
PEOPLE = (("boss", "admin", None), ("sue", "supervisor", "east"), ("wes", "supervisor", "west"),
          ("ann", "agent", "east"), ("bob", "agent", "east"), ("cat", "agent", "west"))
# A task row on the page: its section and id.
ROW = re.compile(r'<tr class="task task-(\w+)" data-task="(\w+)"')


@dataclass
class Seeded:
    client: TestClient
    database: Database
    sessions: dict[str, str]
    tokens: dict[str, str]

    def as_user(self, username: str | None) -> TestClient:
        self.client.cookies.clear()
        if username is not None:
            self.client.cookies.set(COOKIE, self.sessions[username])
        return self.client

    def rows(self, username: str, query: str = "") -> list[tuple[str, str]]:
        answer = self.as_user(username).get("/tasks" + query)
        assert answer.status_code == 200, answer.text
        return ROW.findall(answer.text)

    def tasks_of(self, *agents: str) -> dict[str, FollowUpTask]:
        with self.database.session() as db:
            found = db.scalars(select(FollowUpTask).where(FollowUpTask.agent_id.in_(agents)))
            return {t.id: t for t in found}

    def pending_task(self, agent: str) -> FollowUpTask:
        """One of the agent's tasks no test has closed yet."""
        return next(t for t in self.tasks_of(agent).values() if t.status in ("open", "overdue"))

    def audit_count(self) -> int:
        with self.database.session() as db:
            return db.scalar(select(func.count()).select_from(AuditEvent)) or 0


@pytest.fixture(scope="module")
def seeded(migrated: Database, database_url: str) -> Iterator[Seeded]:
    """Calls stored through the service: ann's March call (every task overdue) and one of hers
    that started ten minutes ago (tasks still to come), bob's and cat's March calls. Due times
    are worked out in New York."""
    empty_all_tables(migrated)
    tokens = {}
    with migrated.session() as db:
        for name, role, team in PEOPLE:
            user = create_user(db, name, UserRole(role), team=team, password=PASSWORD)
            tokens[name] = issue_token(db, user)
    app = create_app(Settings(database_url=database_url, redaction=False))
    app.state.task_settings = TaskSettings(timezone=ZONE)
    with TestClient(app) as client:
        submit(client, tokens["boss"], agent_id="ann")
        submit(client, tokens["boss"], agent_id="ann", customer_id="cu-fresh",
               started_at=datetime.now(UTC) - timedelta(minutes=10))
        submit(client, tokens["boss"], "repeat_caller_third_time.json", agent_id="bob")
        submit(client, tokens["boss"], "defective_mixer_refund_or_replace.json", agent_id="cat")
        sessions = {}
        for name, *_ in PEOPLE:
            client.cookies.clear()
            answer = client.post("/login", data={"username": name, "password": PASSWORD, "next": "/"},
                                 follow_redirects=False)
            assert answer.status_code == 303
            sessions[name] = answer.cookies[COOKIE]
        yield Seeded(client, migrated, sessions, tokens)
    empty_all_tables(migrated)


NOW = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)  # Monday 11:00 in New York (daylight time since the 8th)


@pytest.mark.parametrize(("late_by", "says"), [
    (timedelta(seconds=30), "1 min late"), (timedelta(minutes=59), "59 min late"),
    (timedelta(hours=3, minutes=20), "3 h late"), (timedelta(hours=47, minutes=59), "47 h late"),
    (timedelta(hours=48), "2 days late"), (timedelta(days=266, hours=5), "266 days late"),
])
def test_lateness_reads_in_the_largest_natural_unit(late_by: timedelta, says: str) -> None:
    assert lateness(NOW - late_by, NOW) == says


@pytest.mark.parametrize(("now", "zone", "midnight"), [
    (NOW, "UTC", datetime(2026, 3, 10, 0, 0, tzinfo=UTC)),
    (NOW, ZONE, datetime(2026, 3, 10, 4, 0, tzinfo=UTC)),
    (datetime(2026, 3, 8, 3, 30, tzinfo=UTC), ZONE, datetime(2026, 3, 8, 5, 0, tzinfo=UTC)),  # still the 7th
    (datetime(2026, 3, 9, 23, 30, tzinfo=UTC), "Asia/Tokyo", datetime(2026, 3, 10, 15, 0, tzinfo=UTC)),
])
def test_due_today_means_before_midnight_in_the_configured_zone(now: datetime, zone: str,
                                                                midnight: datetime) -> None:
    assert end_of_day(now, ZoneInfo(zone)) == midnight


@pytest.mark.parametrize(("status", "due", "section", "late"), [
    (TaskStatus.OVERDUE, NOW - timedelta(hours=5), "overdue", "5 h late"),
    (TaskStatus.OPEN, NOW + timedelta(hours=12), "today", None),  # 23:00 in New York
    (TaskStatus.OPEN, NOW + timedelta(hours=14), "upcoming", None),  # 01:00 tomorrow there
    (TaskStatus.DONE, NOW - timedelta(hours=3), "done", None),
    (TaskStatus.CANCELLED, NOW + timedelta(days=3), "cancelled", None),
])
def test_each_task_goes_to_its_section(status: TaskStatus, due: datetime, section: str,
                                       late: str | None) -> None:
    task = TaskRecord("t1", "c1", "callback", "agent", "ann", "cu-1", "call back", None, None, None, due,
                      status, NOW - timedelta(days=9))
    row = row_of(task, NOW, ZoneInfo(ZONE))
    assert (row.section, row.late, row.due_local.utcoffset()) == (section, late, timedelta(hours=-4))


@pytest.mark.parametrize("path", ["/tasks", "/tasks.csv", "/tasks.ics"])
def test_without_a_session_the_pages_send_to_login(seeded: Seeded, path: str) -> None:
    answer = seeded.as_user(None).get(path, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


@pytest.mark.parametrize(("user", "agents"), [
    ("ann", ("ann",)), ("bob", ("bob",)), ("cat", ("cat",)), ("sue", ("ann", "bob")), ("wes", ("cat",)),
    ("boss", ("ann", "bob", "cat")),
])
def test_each_role_sees_the_tasks_it_may(seeded: Seeded, user: str, agents: tuple[str, ...]) -> None:
    shown = {task_id for _, task_id in seeded.rows(user, "?window=any")}
    pending = {i for i, t in seeded.tasks_of("ann", "bob", "cat").items() if t.status in ("open", "overdue")}
    expected = {i for i, t in seeded.tasks_of(*agents).items() if i in pending}
    assert shown & pending == expected


def test_overdue_tasks_come_first_with_how_late(seeded: Seeded) -> None:
    answer = seeded.as_user("ann").get("/tasks")
    rows = ROW.findall(answer.text)
    sections = [section for section, _ in rows]
    assert sections.index("upcoming") > max(i for i, s in enumerate(sections) if s == "overdue")
    now = datetime.now(UTC)
    for section, task_id in rows:
        due = seeded.tasks_of("ann")[task_id].due_at
        if section in ("overdue", "today", "upcoming"):
            assert (section == "overdue") == (due < now)
    march = [t for t in seeded.tasks_of("ann").values() if t.customer_id == "cu-20417"]
    row = answer.text.split(f'data-task="{march[0].id}"')[1].split("</tr>")[0]
    days = (now - march[0].due_at).days
    assert f"{days} days late" in row or f"{days - 1} days late" in row  # the day may turn mid-test


def test_due_times_are_shown_in_the_configured_zone(seeded: Seeded) -> None:
    answer = seeded.as_user("ann").get("/tasks")
    assert f"times in {ZONE}" in answer.text
    for task in seeded.tasks_of("ann").values():
        if task.status in ("open", "overdue"):
            local = task.due_at.astimezone(ZoneInfo(ZONE)).strftime("%a %Y-%m-%d %H:%M")
            row = answer.text.split(f'data-task="{task.id}"')[1].split("</tr>")[0]
            assert local in row


def test_each_task_shows_what_was_promised_and_its_call(seeded: Seeded) -> None:
    task = seeded.pending_task("bob")
    answer = seeded.as_user("bob").get("/tasks")
    row = answer.text.split(f'data-task="{task.id}"')[1].split("</tr>")[0]
    assert f'href="/calls/{task.call_id}#turn-{task.turn_index}"' in row
    assert task.type.replace("_", " ") in row and (task.customer_id or "–") in row
    assert task.quote is not None and task.quote[:30] in answer.text.replace("&#39;", "'")


def test_the_header_badge_counts_due_today_and_overdue(seeded: Seeded) -> None:
    answer = seeded.as_user("ann").get("/tasks?type=callback")  # the badge ignores the filters
    overdue = seeded.as_user("ann").get("/v1/tasks", params={"status": "overdue"},
                                        headers=bearer(seeded.tokens["ann"])).json()["total"]
    rows = seeded.rows("ann")
    assert f'<strong id="count-overdue">{overdue}</strong>' in answer.text
    assert f'<strong id="count-due-today">{sum(s == "today" for s, _ in rows)}</strong>' in answer.text
    assert sum(s == "overdue" for s, _ in rows) == overdue
    assert 'id="task-counts"' not in seeded.as_user("ann").get("/calls").text


@pytest.mark.parametrize(("query", "types", "statuses"), [
    ("?type=callback", {"callback"}, {"overdue", "open"}),
    ("?type=refund_check&status=overdue", {"refund_check"}, {"overdue"}),
    ("?status=open", None, {"open"}),
    ("?status=overdue&window=today", None, {"overdue"}),
])
def test_filters_narrow_the_list(seeded: Seeded, query: str, types: set[str] | None,
                                 statuses: set[str]) -> None:
    shown = [task_id for _, task_id in seeded.rows("ann", query)]
    assert shown
    tasks = seeded.tasks_of("ann")
    now = datetime.now(UTC)
    assert types is None or {tasks[i].type for i in shown} == types
    assert {"overdue" if tasks[i].due_at < now else "open" for i in shown} <= statuses


def test_the_due_window_leaves_out_later_tasks(seeded: Seeded) -> None:
    week = datetime.now(UTC) + timedelta(days=7)
    shown = {task_id for _, task_id in seeded.rows("ann", "?window=week")}
    later = {i for i, t in seeded.tasks_of("ann").items() if t.due_at > week + timedelta(minutes=5)}
    everything = {task_id for _, task_id in seeded.rows("ann", "?window=any")}
    assert shown and not shown & later
    assert shown < everything or not later


def test_a_supervisor_filters_by_owner(seeded: Seeded) -> None:
    shown = {task_id for _, task_id in seeded.rows("sue", "?owner=bob")}
    assert shown and shown <= set(seeded.tasks_of("bob"))
    assert '<option selected>bob</option>' in seeded.as_user("sue").get("/tasks?owner=bob").text


@pytest.mark.parametrize(("user", "query", "status", "says"), [
    ("ann", "?status=late", 400, "status &#39;late&#39; is not known"),
    ("ann", "?type=refund", 400, "type &#39;refund&#39; is not known"),
    ("ann", "?window=year", 400, "due window &#39;year&#39; is not known"),
    ("ann", "?owner=%01x", 400, "owner filter"),
    ("ann", "?owner=bob", 404, "no agent &#39;bob&#39;"),
    ("sue", "?owner=cat", 404, "no agent &#39;cat&#39;"),
])
def test_bad_filters_answer_an_error_page(seeded: Seeded, user: str, query: str, status: int,
                                          says: str) -> None:
    for path in ("/tasks", "/tasks.csv"):
        answer = seeded.as_user(user).get(path + query)
        assert answer.status_code == status
        assert says in answer.text and "data-task" not in answer.text


def test_marking_done_moves_the_task_and_records_it(seeded: Seeded) -> None:
    task = seeded.pending_task("ann")
    answer = seeded.as_user("ann").post(f"/tasks/{task.id}/done", data={"next": "/tasks?type=" + task.type},
                                        follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/tasks?type=" + task.type
    stored = seeded.tasks_of("ann")[task.id]
    assert (stored.status, stored.closed_by) == ("done", "ann")
    assert ("done", task.id) in seeded.rows("ann")
    assert task.id in {i for _, i in seeded.rows("ann", "?status=done")}
    with seeded.database.session() as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.action == "task.done",
                                                    AuditEvent.detail.startswith(task.id))).one()
    assert (event.username, event.call_id) == ("ann", task.call_id)


def test_cancelling_keeps_the_note_in_the_audit_log(seeded: Seeded) -> None:
    task = seeded.pending_task("ann")
    answer = seeded.as_user("ann").post(f"/tasks/{task.id}/cancel",
                                        data={"note": "customer  called back\nthemselves"})
    assert answer.status_code == 200 and ("cancelled", task.id) in ROW.findall(answer.text)
    assert seeded.tasks_of("ann")[task.id].status == "cancelled"
    with seeded.database.session() as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.action == "task.cancelled",
                                                    AuditEvent.detail.startswith(task.id))).one()
    assert event.detail == f"{task.id} (web): customer called back themselves"


def test_a_supervisor_closes_a_team_members_task(seeded: Seeded) -> None:
    task = seeded.pending_task("bob")
    answer = seeded.as_user("sue").post(f"/tasks/{task.id}/done", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/tasks"
    stored = seeded.tasks_of("bob")[task.id]
    assert (stored.status, stored.closed_by) == ("done", "sue")


@pytest.mark.parametrize(("user", "owner", "action", "data", "headers", "status", "says"), [
    ("ann", "bob", "done", {}, {}, 404, "that you may see"),
    ("bob", "ann", "cancel", {"note": "not mine"}, {}, 404, "that you may see"),
    ("sue", "cat", "done", {}, {}, 404, "that you may see"),
    ("wes", "ann", "done", {}, {}, 404, "that you may see"),
    ("ann", "ann", "done", {}, {"Origin": "https://elsewhere.example"}, 403, "another site"),
    ("ann", "ann", "cancel", {"note": "x" * 201}, {}, 422, "keep it to 200"),
])
def test_refused_closes_change_nothing(seeded: Seeded, user: str, owner: str, action: str,
                                       data: dict[str, str], headers: dict[str, str], status: int,
                                       says: str) -> None:
    task = seeded.pending_task(owner)
    before = seeded.audit_count()
    answer = seeded.as_user(user).post(f"/tasks/{task.id}/{action}", data=data, headers=headers)
    assert answer.status_code == status and says in answer.text
    stored = seeded.tasks_of(owner)[task.id]  # the overdue sweep may mark it meanwhile: still pending
    assert stored.status in ("open", "overdue") and stored.closed_by is None
    assert seeded.audit_count() == before


@pytest.mark.parametrize("task_id", ["0" * 32, "no-such-task", "a" * 65, "bad%20id"])
def test_unknown_task_ids_answer_not_found(seeded: Seeded, task_id: str) -> None:
    before = seeded.audit_count()
    answer = seeded.as_user("boss").post(f"/tasks/{task_id}/done")
    assert answer.status_code == 404 and "no task" in answer.text
    assert seeded.audit_count() == before


def test_a_closed_task_cannot_be_closed_again(seeded: Seeded) -> None:
    task = seeded.pending_task("cat")
    assert seeded.as_user("cat").post(f"/tasks/{task.id}/done", follow_redirects=False).status_code == 303
    before = seeded.audit_count()
    answer = seeded.as_user("cat").post(f"/tasks/{task.id}/cancel", data={"note": "changed my mind"})
    assert answer.status_code == 409 and "already" in answer.text
    assert seeded.tasks_of("cat")[task.id].status == "done" and seeded.audit_count() == before


@pytest.mark.parametrize("next_page", ["https://elsewhere.example/", "//elsewhere.example", "/calls"])
def test_after_closing_the_browser_only_goes_back_to_the_tasks_page(seeded: Seeded, next_page: str) -> None:
    task = seeded.pending_task("ann")
    answer = seeded.as_user("ann").post(f"/tasks/{task.id}/done", data={"next": next_page},
                                        follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/tasks"


def test_the_csv_export_holds_the_filtered_list(seeded: Seeded) -> None:
    shown = [task_id for _, task_id in seeded.rows("sue", "?owner=bob&window=any")]
    answer = seeded.as_user("sue").get("/tasks.csv?owner=bob")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["id"] for r in rows] == shown
    assert {r["agent_id"] for r in rows} == {"bob"}


def test_the_ical_export_parses_and_holds_only_visible_tasks(seeded: Seeded) -> None:
    shown = {task_id for _, task_id in seeded.rows("ann", "?type=follow_up_call")}
    answer = seeded.as_user("ann").get("/tasks.ics?type=follow_up_call")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(answer.content)
    todos = list(calendar.walk("VTODO"))
    assert {str(t["UID"]).removesuffix("@calmline") for t in todos} == shown
    assert all(t["CATEGORIES"].to_ical() == b"follow_up_call" for t in todos)
    assert not shown & set(seeded.tasks_of("bob", "cat"))
