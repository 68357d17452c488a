"""/v1/tasks and friends on both backends: a submitted call's promises become tasks that
follow the call's access rules, can be marked done, exported, and viewed as due/overdue;
topics, trends, customer history and edited notes are served beside them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from fastapi.testclient import TestClient

from tests.service.conftest import MakeUser, bearer
from tests.tasks.service import submit


@pytest.fixture
def ann(make_user: MakeUser) -> str:
    return make_user("ann", "agent", team="east")


@pytest.fixture
def bob(make_user: MakeUser) -> str:
    return make_user("bob", "agent", team="west")


@pytest.fixture
def sue(make_user: MakeUser) -> str:
    return make_user("sue", "supervisor", team="east")


def _tasks(client: TestClient, token: str, **params: str) -> list[dict[str, object]]:
    response = client.get("/v1/tasks", params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def test_submitted_call_promises_become_tasks(client: TestClient, ann: str) -> None:
    call = submit(client, ann)
    tasks = _tasks(client, ann)
    assert sorted((t["type"], t["turn_index"], t["due_at"]) for t in tasks) == [  # type: ignore[type-var]
        ("callback", 14, "2026-03-05T17:00:00Z"), ("follow_up_call", 8, "2026-03-09T17:00:00Z"),
        ("follow_up_call", 10, "2026-03-02T21:00:00Z"), ("follow_up_call", 14, "2026-03-03T17:00:00Z"),
        ("refund_check", 8, "2026-03-02T10:15:00Z"), ("refund_check", 10, "2026-03-03T17:00:00Z"),
        ("written_response", 10, "2026-03-02T09:18:00Z")]
    assert [t["due_at"] for t in tasks] == sorted(str(t["due_at"]) for t in tasks)
    assert {t["call_id"] for t in tasks} == {call["id"]}
    assert {t["customer_id"] for t in tasks} == {"cu-20417"}
    assert {t["agent_id"] for t in tasks} == {"ann"}
    assert all(t["status"] == "overdue" for t in tasks)  # the sample call is from March 2026


def test_tasks_follow_the_calls_access_rules(client: TestClient, ann: str, bob: str, sue: str,
                                             admin_token: str) -> None:
    submit(client, ann)
    assert len(_tasks(client, ann)) == 7
    assert _tasks(client, bob) == []
    assert len(_tasks(client, sue)) == 7
    assert len(_tasks(client, admin_token)) == 7
    task_id = _tasks(client, ann)[0]["id"]
    assert client.get(f"/v1/tasks/{task_id}", headers=bearer(bob)).status_code == 404
    done = client.patch(f"/v1/tasks/{task_id}", json={"status": "done"}, headers=bearer(bob))
    assert done.status_code == 404
    assert client.get("/v1/tasks", headers={}).status_code == 401


def test_marking_done_and_filters(client: TestClient, ann: str) -> None:
    submit(client, ann)
    first = _tasks(client, ann)[0]
    changed = client.patch(f"/v1/tasks/{first['id']}", json={"status": "done"}, headers=bearer(ann))
    assert changed.status_code == 200 and changed.json()["status"] == "done"
    assert [t["id"] for t in _tasks(client, ann, status="done")] == [first["id"]]
    assert len(_tasks(client, ann, status="overdue")) == 6
    assert [t["type"] for t in _tasks(client, ann, type="callback")] == ["callback"]
    bad = client.patch(f"/v1/tasks/{first['id']}", json={"status": "overdue"}, headers=bearer(ann))
    assert bad.status_code == 422


def test_due_view_lists_due_and_overdue_open_tasks(client: TestClient, ann: str) -> None:
    soon = datetime.now(UTC) - timedelta(hours=1)
    submit(client, ann, started_at=soon)  # due times: the next few minutes … next week
    due = client.get("/v1/tasks/due", params={"within_hours": 24}, headers=bearer(ann)).json()
    statuses = {t["type"]: t["status"] for t in due}
    assert statuses.get("written_response") == "overdue"  # "in the next few minutes", an hour ago
    later = client.get("/v1/tasks/due", params={"within_hours": 24 * 30}, headers=bearer(ann)).json()
    assert len(later) == 7 and len(later) > len(due)


def test_exports_csv_and_ical(client: TestClient, ann: str) -> None:
    submit(client, ann)
    as_csv = client.get("/v1/tasks/export", params={"format": "csv"}, headers=bearer(ann))
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == 7 and {r["customer_id"] for r in rows} == {"cu-20417"}
    as_ics = client.get("/v1/tasks/export", params={"format": "ics"}, headers=bearer(ann))
    assert as_ics.headers["content-type"].startswith("text/calendar")
    todos = icalendar.Calendar.from_ical(as_ics.text).walk("VTODO")
    assert sorted(str(t["UID"]).split("@")[0] for t in todos) == sorted(r["id"] for r in rows)
    assert client.get("/v1/tasks/export", params={"format": "xls"}, headers=bearer(ann)).status_code == 422


def test_topics_and_weekly_trend(client: TestClient, ann: str, bob: str) -> None:
    call = submit(client, ann)
    topics = client.get(f"/v1/calls/{call['id']}/topics", headers=bearer(ann)).json()
    assert topics[0]["topic"] == "billing" and topics[0]["evidence"][0]["quote"]
    assert client.get(f"/v1/calls/{call['id']}/topics", headers=bearer(bob)).status_code == 404
    trend = client.get("/v1/topics/trends", params={"weeks": 104}, headers=bearer(ann)).json()
    assert {"week": "2026-03-02", "topic": "billing", "calls": 1} in trend
    assert client.get("/v1/topics/trends", params={"weeks": 104}, headers=bearer(bob)).json() == []


def test_notes_edit_is_kept_beside_the_generated_notes(client: TestClient, ann: str, bob: str) -> None:
    call = submit(client, ann)
    url = f"/v1/calls/{call['id']}/notes"
    before = client.get(url, headers=bearer(ann)).json()
    assert before["edited"] is None and before["generated"]["commitments"]
    for text in ("Refund issued; call Thursday.", "Refund issued; call Thursday pm."):
        assert client.put(url, json={"text": text}, headers=bearer(ann)).status_code == 200
    after = client.get(url, headers=bearer(ann)).json()
    assert after["generated"] == before["generated"]
    assert (after["edited"]["text"], after["edited"]["editor"], after["edits"]) == (
        "Refund issued; call Thursday pm.", "ann", 2)
    assert client.put(url, json={"text": "mine now"}, headers=bearer(bob)).status_code == 404
    assert client.put(url, json={"text": ""}, headers=bearer(ann)).status_code == 422
    assert client.put(url, json={"text": "x" * 20_001}, headers=bearer(ann)).status_code == 422


def test_customer_history_counts_recent_calls_and_open_tasks(client: TestClient, ann: str, bob: str) -> None:
    now = datetime.now(UTC)
    submit(client, ann, "repeat_caller_first_contact.json", started_at=now - timedelta(days=20))
    submit(client, ann, "repeat_caller_third_time.json", started_at=now - timedelta(days=2))
    submit(client, ann, "repeat_caller_third_time.json", started_at=now - timedelta(days=45))
    history = client.get("/v1/customers/cu-77310/history", headers=bearer(ann)).json()
    assert len(history["calls"]) == 2
    assert history["calls"][0]["topics"][0] == "billing"
    assert history["last_outcome"] == "resolved"
    assert history["open_tasks"]
    hidden = client.get("/v1/customers/cu-77310/history", headers=bearer(bob)).json()
    assert (hidden["calls"], hidden["open_tasks"], hidden["last_outcome"]) == ([], [], None)


def test_live_call_of_a_repeat_customer_gets_the_history_nudge(client: TestClient, ann: str) -> None:
    from tests.service.live import exchange, sample_segments

    now = datetime.now(UTC)
    submit(client, ann, "repeat_caller_first_contact.json", started_at=now - timedelta(days=20))
    submit(client, ann, "repeat_caller_third_time.json", started_at=now - timedelta(days=3))
    nudges: list[str] = []
    with client.websocket_connect("/v1/live/calls/live-77310", headers=bearer(ann)) as socket:
        exchange(socket, {"type": "start", "customer_id": "cu-77310"})
        for segment in sample_segments("repeat_caller_third_time.json")[:4]:
            nudges += [n["text"] for n in exchange(socket, segment)["nudges"]]
        exchange(socket, {"type": "end"})
    assert "Third contact this month about billing: acknowledge it" in nudges
    assert {t["call_id"] for t in _tasks(client, ann, call_id="live-77310")} == {"live-77310"}


def _personalisation(client: TestClient, token: str, call_id: str) -> dict[str, object]:
    report = client.get(f"/v1/calls/{call_id}", headers=bearer(token)).json()["report"]
    found: dict[str, object] = next(c for c in report["scorecard"]["criteria"]
                                    if c["technique_id"] == "personalisation")
    return found


def test_earlier_calls_on_record_make_personalisation_expected(client: TestClient, ann: str) -> None:
    now = datetime.now(UTC)
    first = submit(client, ann, "routine_delivery_date_chat.json", customer_id="cu-5",
                   started_at=now - timedelta(days=10))
    older = submit(client, ann, "routine_delivery_date_chat.json", customer_id="cu-5",
                   started_at=now - timedelta(days=50))
    later = submit(client, ann, "routine_delivery_date_chat.json", customer_id="cu-5",
                   started_at=now - timedelta(days=1))
    assert _personalisation(client, ann, first["id"])["expected_because"] is None
    assert _personalisation(client, ann, older["id"])["expected_because"] is None
    because = _personalisation(client, ann, later["id"])["expected_because"]
    assert isinstance(because, str) and "the records show 1 earlier call from this customer" in because


def test_a_call_without_a_start_time_has_tasks_due_from_when_it_was_received(
        client: TestClient, ann: str) -> None:
    import json

    from tests.service.conftest import EXAMPLES

    body = json.loads((EXAMPLES / "billing_double_charge.json").read_bytes())
    body.pop("agent_id", None)
    body.pop("started_at", None)
    response = client.post("/v1/calls", params={"filename": "no-start.json"},
                           content=json.dumps(body).encode(), headers=bearer(ann))
    assert response.status_code == 201, response.text
    unstarted = response.json()["call"]
    received = datetime.fromisoformat(unstarted["occurred_at"].replace("Z", "+00:00"))
    # the same call stated to have started at that moment plans the very same due times
    started = submit(client, ann, started_at=received)
    due = {c: sorted((t["type"], t["turn_index"], t["due_at"]) for t in _tasks(client, ann)  # type: ignore[type-var]
                     if t["call_id"] == c) for c in (unstarted["id"], started["id"])}
    assert len(due[unstarted["id"]]) == 7
    assert due[unstarted["id"]] == due[started["id"]]
