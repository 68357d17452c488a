"""Reopening a done or cancelled task from the tasks page, on SQLite and on PostgreSQL: the
Reopen button on closed rows, the task open again with the audit event the REST endpoint
records, and refusals (someone who may not change the task, a task still open, a form from
another site) that change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from calmline.storage.models import AuditEvent, FollowUpTask
from tests.web import test_tasks_pages
from tests.web.test_tasks_pages import Seeded

# The tasks page tests' seeded service (its own copy for this module: module scope).
seeded = test_tasks_pages.seeded
PENDING = ("open", "overdue")


def _closed_task(seeded: Seeded, owner: str, action: str = "done") -> FollowUpTask:
    """One of the owner's pending tasks, closed through the page by its owner."""
    task = seeded.pending_task(owner)
    closed = seeded.as_user(owner).post(f"/tasks/{task.id}/{action}", follow_redirects=False)
    assert closed.status_code == 303
    return seeded.tasks_of(owner)[task.id]


def _reopen_events(seeded: Seeded, task_id: str) -> list[AuditEvent]:
    with seeded.database.session() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.action == "task.open",
                                                        AuditEvent.detail.startswith(task_id))))


def _row_html(page: str, task_id: str) -> str:
    return page.split(f'data-task="{task_id}"')[1].split("</tr>")[0]


@pytest.mark.parametrize("action", ["done", "cancel"])
def test_closed_rows_offer_reopen_and_open_rows_do_not(seeded: Seeded, action: str) -> None:
    task = _closed_task(seeded, "ann", action)
    status = "done" if action == "done" else "cancelled"
    for query in ("", f"?status={status}"):  # the due view's closed section and the status filter
        page = seeded.as_user("ann").get("/tasks" + query).text
        assert f'action="/tasks/{task.id}/reopen"' in _row_html(page, task.id)
    pending = seeded.pending_task("ann")
    page = seeded.as_user("ann").get("/tasks").text
    assert "/reopen" not in _row_html(page, pending.id)


@pytest.mark.parametrize(("owner", "user", "action"), [
    ("ann", "ann", "done"), ("bob", "bob", "cancel"), ("bob", "sue", "done"), ("cat", "boss", "cancel"),
])
def test_reopening_opens_the_task_and_records_it(seeded: Seeded, owner: str, user: str,
                                                 action: str) -> None:
    task = _closed_task(seeded, owner, action)
    earlier = {e.id for e in _reopen_events(seeded, task.id)}  # an earlier test may have reopened it
    next_page = "/tasks?type=" + task.type
    answer = seeded.as_user(user).post(f"/tasks/{task.id}/reopen", data={"next": next_page},
                                       follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == next_page
    stored = seeded.tasks_of(owner)[task.id]
    assert stored.status == "open" and stored.closed_by is None
    assert task.id in {i for s, i in seeded.rows(owner) if s in ("overdue", "today", "upcoming")}
    [event] = [e for e in _reopen_events(seeded, task.id) if e.id not in earlier]
    assert (event.username, event.call_id, event.detail) == (user, task.call_id, f"{task.id} (web)")


@pytest.mark.parametrize(("owner", "user", "headers", "status", "says"), [
    ("bob", "ann", {}, 404, "that you may see"),  # an agent: someone else's task
    ("cat", "sue", {}, 404, "that you may see"),  # a supervisor: another team's task
    ("ann", "wes", {}, 404, "that you may see"),
    ("ann", "ann", {"Origin": "https://elsewhere.example"}, 403, "another site"),
])
def test_refused_reopens_change_nothing(seeded: Seeded, owner: str, user: str,
                                        headers: dict[str, str], status: int, says: str) -> None:
    task = _closed_task(seeded, owner)
    before = seeded.audit_count()
    answer = seeded.as_user(user).post(f"/tasks/{task.id}/reopen", headers=headers)
    assert answer.status_code == status and says in answer.text
    stored = seeded.tasks_of(owner)[task.id]
    assert (stored.status, stored.closed_by, stored.updated_at) == ("done", owner, task.updated_at)
    assert seeded.audit_count() == before


def test_an_open_task_cannot_be_reopened(seeded: Seeded) -> None:
    task = seeded.pending_task("bob")
    before = seeded.audit_count()
    answer = seeded.as_user("bob").post(f"/tasks/{task.id}/reopen", follow_redirects=False)
    assert answer.status_code == 409
    assert "The task is still open" in answer.text and "only a done or cancelled task" in answer.text
    # The overdue sweep may mark it meanwhile: still pending, and never closed.
    stored = seeded.tasks_of("bob")[task.id]
    assert stored.status in PENDING and stored.closed_by is None
    assert seeded.audit_count() == before
