"""Webhooks: a real HTTP receiver on loopback gets HMAC-signed task events; failures are
retried with back-off until they get through, logged, and listed; the call pipeline never
waits for a receiver."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from calmline.api import Settings, create_app
from calmline.api.followups import TaskSettings, WebhookWorker
from calmline.storage import Database
from calmline.storage.models import FollowUpTask, WebhookDelivery
from calmline.tasks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify
from tests.service.conftest import MakeUser, bearer
from tests.tasks.service import submit

SECRET = "s3cret-key"
# Long enough for any test here: the receiver is waited on, never timed.
PATIENCE_SECONDS = 60.0


@dataclass
class Receiver:
    """A loopback HTTP server that answers 500 to the first ``fail_first`` deliveries."""

    fail_first: int = 0
    hold: threading.Event | None = None
    received: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    arrived: threading.Condition = field(default_factory=threading.Condition)
    url: str = ""

    def wait_for(self, count: int) -> list[dict[str, Any]]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, PATIENCE_SECONDS), self.received
            return list(self.received)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if state.hold is not None:
                state.hold.wait(PATIENCE_SECONDS)
            with state.arrived:
                state.attempts += 1
                failing = state.attempts <= state.fail_first
                if not failing:
                    state.received.append({"body": body, "headers": dict(self.headers)})
                state.arrived.notify_all()
            self.send_response(500 if failing else 204)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    if state.hold is not None:
        state.hold.set()
    server.shutdown()
    server.server_close()
    thread.join()


def _settings(url: str, **extra: Any) -> TaskSettings:
    options: dict[str, Any] = {"webhook_url": url, "webhook_secret": SECRET, "webhook_backoff_seconds": 0.05,
                               "webhook_timeout_seconds": 5.0, "worker_interval_seconds": 3600.0}
    return TaskSettings(**(options | extra))


@pytest.fixture
def hooked_client(settings: Settings, receiver: Receiver) -> Iterator[TestClient]:
    app = create_app(settings)
    app.state.task_settings = _settings(receiver.url)
    with TestClient(app) as test_client:
        yield test_client


def _signed_ok(delivery: dict[str, Any]) -> bool:
    headers = {k.lower(): v for k, v in delivery["headers"].items()}
    return verify(SECRET, int(headers[TIMESTAMP_HEADER.lower()]), delivery["body"],
                  headers[SIGNATURE_HEADER.lower()])


def test_signature_is_hmac_sha256_of_timestamp_and_body() -> None:
    assert sign("key", 1700000000, b"{}") == (
        "sha256=" + __import__("hmac").new(b"key", b"1700000000.{}", "sha256").hexdigest())
    assert not verify("key", 1700000000, b"{} ", sign("key", 1700000000, b"{}"))
    assert not verify("other", 1700000000, b"{}", sign("key", 1700000000, b"{}"))


def test_submitted_call_sends_a_signed_event_per_task(hooked_client: TestClient, make_user: MakeUser,
                                                      receiver: Receiver) -> None:
    ann = make_user("ann", "agent", team="east")
    submit(hooked_client, ann, "defective_mixer_refund_or_replace.json")
    deliveries = receiver.wait_for(2)
    events = [json.loads(d["body"]) for d in deliveries]
    assert {e["event"] for e in events} == {"task.created"}
    assert sorted(e["task"]["type"] for e in events) == ["follow_up_call", "written_response"]
    assert all(_signed_ok(d) for d in deliveries)
    assert {d["headers"]["X-Calmline-Event"] for d in deliveries} == {"task.created"}


def test_receiver_failing_the_first_two_tries_still_gets_the_task(
        database: Database, receiver: Receiver) -> None:
    receiver.fail_first = 2
    task = _stored_task(database, due=datetime.now(UTC) + timedelta(days=1))
    worker = WebhookWorker(database, _settings(receiver.url), poll_seconds=0.02)
    _enqueue(database, worker, task)
    worker.start()
    try:
        (delivery,) = receiver.wait_for(1)
    finally:
        worker.stop()
    assert json.loads(delivery["body"])["task"]["id"] == task
    assert _signed_ok(delivery)
    assert receiver.attempts == 3
    with database.session() as db:
        row = db.query(WebhookDelivery).one()
        assert (row.status, row.attempts, row.last_status) == ("delivered", 3, 204)


def test_undeliverable_event_is_logged_and_listed(database: Database, receiver: Receiver, make_user: MakeUser,
                                                  settings: Settings,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    receiver.fail_first = 10**6
    task = _stored_task(database, due=datetime.now(UTC) + timedelta(days=1))
    worker = WebhookWorker(database, _settings(receiver.url, webhook_max_attempts=3))
    _enqueue(database, worker, task)
    for _ in range(3):
        _run_when_due(worker, database)
    assert receiver.attempts == 3
    assert "failed after 3 attempts" in caplog.text
    admin = make_user("root", "admin")
    with TestClient(create_app(settings)) as client:
        listed = client.get("/v1/webhooks/deliveries", params={"status": "failed"},
                            headers=bearer(admin)).json()
        agent = make_user("ann", "agent")
        assert client.get("/v1/webhooks/deliveries", headers=bearer(agent)).status_code == 403
    assert [(d["task_id"], d["attempts"], d["last_status"]) for d in listed] == [(task, 3, 500)]
    assert listed[0]["last_error"] == "HTTP 500 from the receiver"


def test_backoff_doubles(database: Database) -> None:
    worker = WebhookWorker(database, TaskSettings(webhook_backoff_seconds=2.0))
    assert [worker.backoff(n) for n in (1, 2, 3, 4, 30)] == [2.0, 4.0, 8.0, 16.0, 3600.0]


def test_overdue_sweep_marks_once_and_sends_task_overdue(database: Database, receiver: Receiver) -> None:
    late = _stored_task(database, due=datetime.now(UTC) - timedelta(hours=2))
    _stored_task(database, due=datetime.now(UTC) + timedelta(days=2))
    worker = WebhookWorker(database, _settings(receiver.url))
    assert worker.sweep() == 1
    assert worker.sweep() == 0
    worker.run_once()
    (delivery,) = receiver.wait_for(1)
    event = json.loads(delivery["body"])
    assert (event["event"], event["task"]["id"], event["task"]["status"]) == ("task.overdue", late, "overdue")


def test_a_hanging_receiver_never_blocks_call_submission(hooked_client: TestClient, make_user: MakeUser,
                                                         receiver: Receiver) -> None:
    receiver.hold = threading.Event()
    ann = make_user("ann", "agent", team="east")
    submit(hooked_client, ann, "defective_mixer_refund_or_replace.json")
    submit(hooked_client, ann, "routine_password_reset.json")  # answered while the receiver still hangs
    assert receiver.received == []
    receiver.hold.set()
    assert len(receiver.wait_for(3)) == 3


def _stored_task(database: Database, due: datetime) -> str:
    from calmline.commitments import Due, DueRule, PlannedTask, TaskType
    from calmline.conversation import Conversation
    from calmline.notes import Owner
    from calmline.storage.calls import create_call, new_call_id
    from calmline.storage.playbooks import active_version
    from calmline.storage.tasks import add_tasks

    with database.session() as db:
        call = create_call(db, Conversation(id="x", turns=(), agent_id="ann", customer_id="cu-1"),
                           call_id=new_call_id(), source="json", playbook_version_id=active_version(db).id,
                           redacted=False, submitted_by=None)
        planned = PlannedTask(TaskType.CALLBACK, Owner.AGENT, "I'll call you back",
                              Due(due, DueRule.PHRASE), 3,
                              "I'll call you back", "by Friday")
        (row,) = add_tasks(db, call, [planned])
        return row.id


def _enqueue(database: Database, worker: WebhookWorker, task_id: str) -> None:
    from calmline.api.followups import task_event
    from calmline.storage.tasks import enqueue_delivery

    with database.session() as db:
        task = db.get(FollowUpTask, task_id)
        assert task is not None and worker.settings.webhook_url is not None
        url = worker.settings.webhook_url
        enqueue_delivery(db, "task.created", task, url, task_event("task.created", task))


def _run_when_due(worker: WebhookWorker, database: Database) -> None:
    """Make the pending delivery due now (skipping its back-off wait) and run one pass."""
    with database.session() as db:
        for row in db.query(WebhookDelivery).filter(WebhookDelivery.status == "pending"):
            row.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
    worker.run_once()
