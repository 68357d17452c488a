"""The tasks page in a real browser (Debian's chromium, headless): an agent's overdue tasks
highlighted with how late, marking one done, a supervisor's team view and owner filter, an
agent kept off another agent's tasks, and the CSV and iCalendar exports. The screenshot is
saved to docs/images/web-tasks.png."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2 as httpx
import icalendar
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.service.conftest import EXAMPLES
from tests.web.browser import screenshot, signed_in
from tests.web.conftest import WebServer

pytestmark = pytest.mark.slow

OVERDUE_BACKGROUND = "rgb(255, 244, 243)"  # app.css: .table.tasks tr.task-overdue td


def _api(web: WebServer, user: str, path: str, **params: str) -> Any:
    answer = httpx.get(f"{web.url}{path}", params=params,
                       headers={"Authorization": f"Bearer {web.tokens[user]}"})
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def fresh_call(web: WebServer) -> str:
    """A call of ann's that started ten minutes ago, stored through the service, so some of
    her tasks are still to come (the sample calls are from March 2026: theirs are overdue)."""
    body = json.loads((EXAMPLES / "billing_double_charge.json").read_bytes())
    body.pop("agent_id", None)
    body |= {"started_at": (datetime.now(UTC) - timedelta(minutes=10)).isoformat(), "customer_id": "cu-30418"}
    answer = httpx.post(f"{web.url}/v1/calls", params={"agent_id": "ann", "filename": "fresh.json"},
                        content=json.dumps(body).encode(), timeout=60,
                        headers={"Authorization": f"Bearer {web.tokens['boss']}"})
    assert answer.status_code == 201, answer.text
    call_id: str = answer.json()["call"]["id"]
    return call_id


def _shown(page: Page, section: str = "") -> list[str]:
    rows = page.locator(f"#tasks-{section} tr.task" if section else "tr.task")
    return [str(r.get_attribute("data-task")) for r in rows.all()]


def _pending(web: WebServer, user: str, **params: str) -> set[str]:
    items = _api(web, user, "/v1/tasks", limit="500", **params)["items"]
    return {t["id"] for t in items if t["status"] in ("open", "overdue")}


def test_an_agent_sees_overdue_tasks_highlighted_and_marks_one_done(browser: Browser, web: WebServer,
                                                                    fresh_call: str) -> None:
    page = signed_in(browser, web, "ann")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/tasks")
    overdue = page.locator("#tasks-overdue tr.task-overdue")
    expect(overdue.first).to_be_visible()
    assert overdue.count() == int(page.locator("#count-overdue").inner_text())
    expect(overdue.first.locator(".badge.late")).to_have_text(re.compile(r"^\d+ days late$"))
    assert overdue.first.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor") \
        == OVERDUE_BACKGROUND
    assert page.locator("#tasks-upcoming tr.task").count() + page.locator("#tasks-today tr.task").count() > 0
    expect(page.locator('[data-nav="tasks"]')).to_have_class(re.compile("active"))
    screenshot(page, "tasks")
    first = overdue.first.get_attribute("data-task")
    before = overdue.count()
    overdue.first.locator("button.done").click()
    page.wait_for_load_state()
    expect(page.locator(f'#tasks-done tr[data-task="{first}"]')).to_be_visible()
    assert first not in _shown(page, "overdue")
    assert page.locator("#tasks-overdue tr.task").count() == before - 1
    expect(page.locator("#count-overdue")).to_have_text(str(before - 1))
    assert first not in _pending(web, "ann") and errors == []
    page.context.close()


def test_an_agent_reopens_a_task_marked_done_by_mistake(browser: Browser, web: WebServer) -> None:
    page = signed_in(browser, web, "ann")
    page.goto("/tasks")
    overdue = page.locator("#tasks-overdue tr.task-overdue")
    before = overdue.count()
    task = overdue.first.get_attribute("data-task")
    overdue.first.locator("button.done").click()
    page.wait_for_load_state()
    page.locator(f'#tasks-done tr[data-task="{task}"] button.reopen').click()
    page.wait_for_load_state()
    expect(page.locator(f'#tasks-overdue tr[data-task="{task}"]')).to_be_visible()
    expect(page.locator("#count-overdue")).to_have_text(str(before))
    assert task not in _shown(page, "done") and task in _pending(web, "ann")
    page.context.close()


def test_a_supervisor_sees_the_teams_tasks_and_filters_by_owner(browser: Browser, web: WebServer,
                                                                fresh_call: str) -> None:
    page = signed_in(browser, web, "sue")
    page.goto("/tasks")
    assert _pending(web, "sue") <= set(_shown(page))
    owners = set(page.locator("tr.task td:nth-child(5)").all_inner_texts())
    assert {o.split()[0] for o in owners} == {"ann", "bob"}  # cat is in the west team
    page.select_option("select[name=owner]", "bob")
    page.click("#task-filters button[type=submit]")
    page.wait_for_url("**/tasks?*owner=bob*")
    shown = set(_shown(page))
    assert shown and shown >= _pending(web, "bob")
    assert shown <= {t["id"] for t in _api(web, "bob", "/v1/tasks", limit="500")["items"]}
    page.context.close()


def test_an_agent_cannot_see_or_close_another_agents_task(browser: Browser, web: WebServer) -> None:
    bobs = sorted(_pending(web, "bob"))
    assert bobs
    page = signed_in(browser, web, "ann")
    page.goto("/tasks")
    assert not set(_shown(page)) & set(bobs)
    answer = page.request.post(f"/tasks/{bobs[0]}/done", form={"next": "/tasks"}, max_redirects=0)
    assert answer.status == 404 and "no task" in answer.text()
    assert bobs[0] in _pending(web, "bob")
    page.goto("/tasks?owner=bob")
    expect(page.locator("main h1")).to_have_text("Not found")
    assert page.locator("tr.task").count() == 0
    page.context.close()


def test_the_export_links_download_the_filtered_list(browser: Browser, web: WebServer,
                                                     fresh_call: str) -> None:
    page = signed_in(browser, web, "ann")
    page.goto("/tasks")
    page.select_option("select[name=type]", "follow_up_call")
    page.click("#task-filters button[type=submit]")
    page.wait_for_url("**/tasks?*type=follow_up_call*")
    shown = _shown(page)
    assert shown
    with page.expect_download() as got:
        page.click("#export-csv")
    rows = list(csv.DictReader(got.value.path().read_text(encoding="utf-8").splitlines()))
    assert [r["id"] for r in rows] == shown and {r["type"] for r in rows} == {"follow_up_call"}
    with page.expect_download() as got:
        page.click("#export-ics")
    assert got.value.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(got.value.path().read_bytes())
    uids = [str(todo["UID"]).removesuffix("@calmline") for todo in calendar.walk("VTODO")]
    assert sorted(uids) == sorted(shown)
    assert {r["agent_id"] for r in rows} == {"ann"}
    assert not set(uids) & _pending(web, "bob")
    page.context.close()
