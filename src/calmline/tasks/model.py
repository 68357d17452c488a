"""A stored follow-up task as the core sees it, and its statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"
    OVERDUE = "overdue"  # open, and past its due time


# Statuses that still need someone to act.
PENDING_STATUSES = frozenset({TaskStatus.OPEN, TaskStatus.OVERDUE})


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """One task: what is owed, by whom, to which customer, by when, from which call."""

    id: str
    call_id: str
    type: str
    owner: str
    agent_id: str | None
    customer_id: str | None
    what: str
    quote: str | None
    turn_index: int | None
    due_phrase: str | None
    due_at: datetime
    status: TaskStatus
    created_at: datetime


def effective_status(status: TaskStatus, due_at: datetime, now: datetime) -> TaskStatus:
    """An open task past its due time is overdue, whether or not the sweep has marked it."""
    if status is TaskStatus.OPEN and due_at < now:
        return TaskStatus.OVERDUE
    return status
