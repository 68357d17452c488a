"""Commitments with due dates: every promise in a call's notes, its due phrase resolved
against the call's start on a business calendar (calmline.tasks.due), and the follow-up
tasks a finished call leaves behind. Pure: no clock, no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from calmline.notes import CallNotes, Commitment, Owner
from calmline.outcome import Resolution
from calmline.tasks.due import Due, DueRule, Schedule, ScheduleError, parse_holidays, resolve_due

__all__ = ["CallFacts", "Due", "DueRule", "PlannedTask", "Schedule", "ScheduleError", "TaskType",
           "commitment_task", "leaves_work", "parse_holidays", "plan_tasks", "resolve_due", "task_type_of"]


class TaskType(StrEnum):
    FOLLOW_UP_CALL = "follow_up_call"
    CALLBACK = "callback"
    REFUND_CHECK = "refund_check"
    SUPERVISOR_ESCALATION = "supervisor_escalation"
    WRITTEN_RESPONSE = "written_response"


# Which task a promise makes, by the first of these its words match (order matters).
TASK_WORDS: tuple[tuple[TaskType, re.Pattern[str]], ...] = (
    (TaskType.SUPERVISOR_ESCALATION, re.compile(
        r"\b(?:supervisor|manager|team lead|escalat\w*|complaints? team|specialist team)\b", re.I)),
    (TaskType.REFUND_CHECK, re.compile(r"\b(?:refund\w*|credit\w*|reimburs\w*|compensat\w*|"
                                       r"discount|money back|charge back)\b", re.I)),
    (TaskType.CALLBACK, re.compile(r"\b(?:call(?:ing)? you|ring you|call back|callback|phone you|"
                                   r"give you a (?:call|ring)|get back to you)\b", re.I)),
    (TaskType.WRITTEN_RESPONSE, re.compile(r"\b(?:e-?mail\w*|send|write|letter|text you|in writing|"
                                           r"confirmation)\b", re.I)),
)


@dataclass(frozen=True, slots=True)
class PlannedTask:
    """A piece of follow-up work a call leaves behind, before it is stored."""

    type: TaskType
    owner: Owner
    what: str
    due: Due
    turn_index: int | None
    quote: str | None
    due_phrase: str | None = None
    reason: str = "commitment"


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What task planning needs from a finished call."""

    started_at: datetime
    notes: CallNotes
    quotes: dict[int, str] = field(default_factory=dict)  # turn index -> the turn's text


def task_type_of(what: str) -> TaskType:
    """The kind of work a promise's words describe: an escalation whenever one is named,
    else the kind named first ("I'll email you confirming the credit" is a written
    response), else a follow-up call."""
    found: list[tuple[int, int, TaskType]] = []
    for rank, (task_type, pattern) in enumerate(TASK_WORDS):
        match = pattern.search(what)
        if match is not None:
            escalation = task_type is TaskType.SUPERVISOR_ESCALATION
            found.append((0 if escalation else match.start(), rank, task_type))
    return min(found)[2] if found else TaskType.FOLLOW_UP_CALL


def commitment_task(commitment: Commitment, facts: CallFacts, schedule: Schedule) -> PlannedTask:
    due = resolve_due(commitment.due_phrase, facts.started_at, schedule)
    return PlannedTask(task_type_of(commitment.what), commitment.owner, commitment.what, due,
                       commitment.turn_index, facts.quotes.get(commitment.turn_index, commitment.what),
                       commitment.due_phrase)


# Promises kept before the call ends ("I'll stay on the line", "let me pull your account
# up"): they leave no work behind, so they make no task.
IN_CALL = re.compile(
    r"\b(?:stay on the line|walk you through|hand you over|put you (?:on|through)|bring (?:her|him|them) in|"
    r"pull (?:your|the) account|talk to you before|should have been|(?:i'm|i am) (?:listening|here)\b|"
    r"let me (?:check|look|see|pull|find|read))\b", re.I)
# A clause this short is a fragment ("I'll do:"), not a promise.
MIN_PROMISE_WORDS = 3


def leaves_work(commitment: Commitment) -> bool:
    """Whether a commitment is still owed once the call ends."""
    return len(commitment.what.split()) >= MIN_PROMISE_WORDS and IN_CALL.search(commitment.what) is None


def plan_tasks(facts: CallFacts, schedule: Schedule | None = None) -> tuple[PlannedTask, ...]:
    """Every commitment still owed after the call as a task, plus one for an unresolved,
    escalated or called-back call that no commitment already covers (due in the default
    window)."""
    schedule = schedule or Schedule()
    planned = [commitment_task(c, facts, schedule) for c in facts.notes.commitments if leaves_work(c)]
    extra = _outcome_task(facts.notes.outcome, {p.type for p in planned if p.owner is not Owner.CUSTOMER})
    if extra is not None:
        task_type, what = extra
        planned.append(PlannedTask(task_type, Owner.TEAM if task_type is TaskType.SUPERVISOR_ESCALATION
                                   else Owner.AGENT, what, resolve_due(None, facts.started_at, schedule),
                                   None, None, None, reason=f"outcome:{facts.notes.outcome.value}"))
    return tuple(planned)


_OUTCOME_TASKS = {
    Resolution.UNRESOLVED: (TaskType.FOLLOW_UP_CALL, "follow up on the unresolved call"),
    Resolution.ESCALATED: (TaskType.SUPERVISOR_ESCALATION, "handle the escalated call"),
    Resolution.CALLBACK: (TaskType.CALLBACK, "call the customer back as offered"),
}
# An outcome is covered when the call already has one of these tasks for it.
_COVERS = {
    Resolution.UNRESOLVED: frozenset(TaskType),
    Resolution.ESCALATED: frozenset({TaskType.SUPERVISOR_ESCALATION}),
    Resolution.CALLBACK: frozenset({TaskType.CALLBACK, TaskType.FOLLOW_UP_CALL}),
}


def _outcome_task(outcome: Resolution, have: set[TaskType]) -> tuple[TaskType, str] | None:
    if outcome not in _OUTCOME_TASKS or have & _COVERS[outcome]:
        return None
    return _OUTCOME_TASKS[outcome]


def turn_texts(turns: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Turn index -> text, for quoting a commitment's turn."""
    return dict(turns)
