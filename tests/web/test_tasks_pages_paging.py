"""A long task list: the page lists the first tasks of each kind and says how many matched;
the exports hold the whole filtered list."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from calmline.api import Settings, create_app
from calmline.commitments import Due, DueRule, PlannedTask, TaskType
from calmline.notes import Owner
from calmline.storage import Database
from calmline.storage.accounts import UserRole, create_user
from calmline.storage.models import Call, FollowUpTask
from calmline.storage.tasks import add_tasks
from calmline.web.tasks_pages import PAGE_ROWS
from tests.service.conftest import empty_all_tables
from tests.tasks.service import submit

PASSWORD = "a long enough password"
MANY = PAGE_ROWS + 23


def test_page_lists_the_first_tasks_and_the_export_all(migrated: Database, database_url: str) -> None:
    empty_all_tables(migrated)
    with migrated.session() as db:
        create_user(db, "ann", UserRole.AGENT, password=PASSWORD)
    with TestClient(create_app(Settings(database_url=database_url, redaction=False))) as client:
        client.post("/login", data={"username": "ann", "password": PASSWORD}, follow_redirects=False)
        token = client.post("/v1/auth/login", json={"username": "ann", "password": PASSWORD}).json()["token"]
        call_id = submit(client, token, "routine_password_reset.json")["id"]
        soon = datetime.now(UTC) + timedelta(days=3)
        with migrated.session() as db:
            call = db.scalars(select(Call).where(Call.id == call_id)).one()
            db.execute(delete(FollowUpTask).where(FollowUpTask.call_id == call_id))  # the call's own
            add_tasks(db, call, [PlannedTask(TaskType.CALLBACK, Owner.AGENT, f"ring back #{n}",
                                             Due(soon + timedelta(minutes=n), DueRule.DEFAULT), None, None)
                                 for n in range(MANY)])
        page = client.get("/tasks")
        listed = page.text.count('<tr class="task task-upcoming"')
        exported = list(csv.DictReader(io.StringIO(client.get("/tasks.csv").text)))
    empty_all_tables(migrated)
    assert listed == PAGE_ROWS
    assert f"Showing {PAGE_ROWS} of {MANY} tasks" in page.text
    assert len([r for r in exported if r["what"].startswith("ring back #")]) == MANY
