"""Follow-ups in the service: their settings, the step that turns a stored call into
topics, tasks and webhook events, the customer's history for a live call, and the worker
that sweeps overdue tasks and delivers signed webhooks in the background."""

from __future__ import annotations

import logging
import threading
import time as clock
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.orm import Session as DbSession

from calmline.commitments import CallFacts, PlannedTask, Schedule, ScheduleError, parse_holidays, plan_tasks
from calmline.conversation import Turn
from calmline.report import Report, TurnAnalysis
from calmline.storage import Database
from calmline.storage.models import Call, FollowUpTask, WebhookDelivery
from calmline.storage.tasks import (
    DELIVERED,
    FAILED,
    PENDING,
    ClaimedDelivery,
    add_tasks,
    claim_deliveries,
    customer_history,
    enqueue_delivery,
    mark_overdue,
    record_of,
    store_topics,
)
from calmline.storage.types import utcnow
from calmline.tasks.history import CustomerHistory, HistoryWatch
from calmline.tasks.signing import EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from calmline.topics import CallTopic, TopicMatcher, find_topics, load_taxonomy

log = logging.getLogger("calmline.webhooks")
# How long a claimed delivery stays with the worker that claimed it (longer than a request).
DELIVERY_LEASE = timedelta(seconds=60)
MAX_BACKOFF_SECONDS = 3600.0


class TaskSettings(BaseSettings):
    """Follow-up settings, from ``CALMLINE_TASKS_*`` variables (or given in code)."""

    model_config = SettingsConfigDict(env_prefix="CALMLINE_TASKS_", extra="ignore")

    timezone: str = Field(default="UTC", description="IANA time zone the due dates are worked out in.")
    holidays_file: Path | None = Field(default=None, description="Holidays, one YYYY-MM-DD per line.")
    end_of_day: time = Field(default=time(17, 0), description="When a day's promises fall due.")
    default_window_business_days: int = Field(default=1, ge=0, le=30,
                                              description="Due time of a promise with no time said.")
    taxonomy_file: Path | None = Field(default=None, description="Complaint topics (default: shipped).")
    webhook_url: str | None = Field(default=None, pattern=r"^https?://", max_length=2000,
                                    description="Where task.created and task.overdue events are POSTed.")
    webhook_secret: str = Field(default="", max_length=500, description="HMAC-SHA256 key for signatures.")
    webhook_max_attempts: int = Field(default=8, ge=1, le=50)
    webhook_backoff_seconds: float = Field(default=2.0, gt=0, le=3600,
                                           description="First retry delay; doubles on every failure.")
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    worker_interval_seconds: float = Field(default=30.0, gt=0, le=3600,
                                           description="How often the worker sweeps for overdue tasks.")

    def schedule(self) -> Schedule:
        holidays: frozenset[Any] = frozenset()
        if self.holidays_file is not None:
            try:
                lines = self.holidays_file.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise ScheduleError(f"cannot read the holidays file: {exc}", source=str(self.holidays_file),
                                    hint="set CALMLINE_TASKS_HOLIDAYS_FILE to a UTF-8 text file") from exc
            holidays = parse_holidays(lines, source=str(self.holidays_file))
        return Schedule(self.timezone, holidays, end_of_day=self.end_of_day,
                        default_window_business_days=self.default_window_business_days)


@dataclass(eq=False)
class FollowUps:
    """What the service needs to make follow-ups: the calendar, the taxonomy, the hooks."""

    settings: TaskSettings
    worker: WebhookWorker | None = None

    @cached_property
    def schedule(self) -> Schedule:
        return self.settings.schedule()

    @cached_property
    def matcher(self) -> TopicMatcher:
        return TopicMatcher.of(load_taxonomy(self.settings.taxonomy_file))


# One per open database (the app registers its own on start); plain default otherwise.
_REGISTRY: dict[int, tuple[Database, FollowUps]] = {}


def register(database: Database, followups: FollowUps) -> None:
    _REGISTRY[id(database)] = (database, followups)


def unregister(database: Database) -> None:
    _REGISTRY.pop(id(database), None)


def followups_for(database: Database) -> FollowUps:
    entry = _REGISTRY.get(id(database))
    if entry is None or entry[0] is not database:
        entry = _REGISTRY[id(database)] = (database, FollowUps(TaskSettings()))
    return entry[1]


@dataclass(frozen=True, slots=True)
class PlannedFollowUps:
    """A finished call's complaint topics and tasks, worked out before its transaction."""

    topics: tuple[CallTopic, ...]
    tasks: tuple[PlannedTask, ...]


def plan_followups(database: Database, report: Report, occurred_at: datetime) -> PlannedFollowUps:
    """The call's topics and tasks (pure work: no database), so the transaction that stores
    them holds the write lock only for the writes. ``occurred_at``: when the call is on
    record as having happened, for a call with no start time of its own."""
    followups = followups_for(database)
    quotes = {t.index: t.text for t in report.turns}
    started = report.started_at or occurred_at
    return PlannedFollowUps(find_topics([_turn(t) for t in report.turns], followups.matcher),
                            plan_tasks(CallFacts(started, report.notes, quotes), followups.schedule))


def after_call_stored(database: Database, db: DbSession, call: Call, report: Report,
                      planned: PlannedFollowUps | None = None) -> list[FollowUpTask]:
    """In the transaction that stored the call's report: its topics, its tasks (``planned``
    beforehand, or now), and a task.created event per task when a webhook is set (delivered
    later, off this path)."""
    followups = followups_for(database)
    planned = planned or plan_followups(database, report, call.occurred_at)
    store_topics(db, call.id, planned.topics)
    created = add_tasks(db, call, planned.tasks)
    url = followups.settings.webhook_url
    if url:
        for task in created:
            enqueue_delivery(db, "task.created", task, url, task_event("task.created", task))
    return created


def _turn(analysis: TurnAnalysis) -> Turn:
    return Turn(analysis.index, analysis.role, analysis.text, analysis.speaker)


def wake_worker(database: Database) -> None:
    """Tell the worker there is something to deliver (after the transaction commits)."""
    worker = followups_for(database).worker
    if worker is not None:
        worker.wake()


def task_event(event: str, task: FollowUpTask) -> dict[str, Any]:
    from calmline.report import to_plain

    return {"event": event, "task": to_plain(record_of(task, utcnow()))}


def history_hooks(database: Database, history: CustomerHistory | None) -> list[HistoryWatch]:
    """The live session's history hook for the call's customer (none when unknown)."""
    return [HistoryWatch(history, followups_for(database).matcher)] if history is not None else []


def history_of(db: DbSession, call: Call, now: datetime | None = None) -> CustomerHistory | None:
    """The call's customer's history as of ``now`` (default: the present), without the
    call itself; None when the customer is unknown."""
    if call.customer_id is None:
        return None
    return customer_history(db, call.customer_id, now or utcnow(), exclude_call=call.id)


@dataclass(eq=False)
class WebhookWorker:
    """A daemon thread: sweeps overdue tasks and delivers pending webhooks, retrying failures
    with exponential back-off. The call pipeline only ever writes rows for it."""

    database: Database
    settings: TaskSettings
    poll_seconds: float = 1.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _wake: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _last_sweep: float = float("-inf")

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="calmline-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.settings.webhook_timeout_seconds + 5)

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # the worker must outlive a database hiccup; the error is logged
                log.exception("webhook worker pass failed; retrying")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def run_once(self) -> int:
        """One pass: sweep overdue tasks when due, then attempt every delivery whose time
        has come. Returns how many deliveries were attempted."""
        if clock.monotonic() - self._last_sweep >= self.settings.worker_interval_seconds:
            self.sweep()
            self._last_sweep = clock.monotonic()
        with self.database.session() as db:
            claimed = claim_deliveries(db, utcnow(), DELIVERY_LEASE, limit=50)
        for delivery in claimed:
            if self._stop.is_set():
                break
            self._attempt(delivery)
        return len(claimed)

    def sweep(self) -> int:
        """Mark open tasks past due as overdue; queue a task.overdue event for each."""
        url = self.settings.webhook_url
        with self.database.session() as db:
            marked = mark_overdue(db, utcnow())
            for task in marked:
                if url:
                    enqueue_delivery(db, "task.overdue", task, url, task_event("task.overdue", task))
        return len(marked)

    def _attempt(self, delivery: ClaimedDelivery) -> None:
        status, error = post_signed(delivery.url, delivery.event, delivery.payload.encode("utf-8"),
                                    self.settings.webhook_secret, self.settings.webhook_timeout_seconds)
        with self.database.session() as db:
            row = db.get(WebhookDelivery, delivery.id)
            if row is None:
                return
            row.attempts += 1
            row.last_status, row.last_error = status, error[:500] if error else None
            if error is None:
                row.status, row.delivered_at = DELIVERED, utcnow()
            elif row.attempts >= self.settings.webhook_max_attempts:
                row.status = FAILED
                log.error("webhook %s for task %s failed after %d attempts: %s", row.event, row.task_id,
                          row.attempts, error)
            else:
                row.status = PENDING
                row.next_attempt_at = utcnow() + timedelta(seconds=self.backoff(row.attempts))
                log.warning("webhook %s for task %s failed (attempt %d): %s", row.event, row.task_id,
                            row.attempts, error)

    def backoff(self, attempts: int) -> float:
        """Seconds before the next try after ``attempts`` failures: doubling, capped."""
        return float(min(self.settings.webhook_backoff_seconds * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS))


def post_signed(url: str, event: str, body: bytes, secret: str,
                timeout: float) -> tuple[int | None, str | None]:
    """POST one signed delivery; (HTTP status, error) with error None on a 2xx answer."""
    stamp = int(datetime.now(UTC).timestamp())
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "calmline-webhooks",
        EVENT_HEADER: event, TIMESTAMP_HEADER: str(stamp), SIGNATURE_HEADER: sign(secret, stamp, body)})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, None
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, f"HTTP {exc.code} from the receiver"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"


def start_followups(database: Database, settings: TaskSettings | None) -> FollowUps:
    """Register the app's follow-ups and start its worker."""
    settings = settings or TaskSettings()
    followups = FollowUps(settings)
    followups.schedule  # noqa: B018 (fail at start on a bad calendar, not on the first call)
    followups.worker = WebhookWorker(database, settings)
    register(database, followups)
    followups.worker.start()
    return followups


def stop_followups(database: Database, followups: FollowUps) -> None:
    if followups.worker is not None:
        followups.worker.stop()
    unregister(database)
