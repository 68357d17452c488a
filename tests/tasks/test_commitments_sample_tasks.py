"""On the sample calls, every promise made becomes a task: the expected tasks of each call
(type, owner, turn, due time) are listed here and compared with what planning produces."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
import yaml

from calmline.commitments import CallFacts, PlannedTask, Schedule, TaskType, plan_tasks, task_type_of
from calmline.engine import analyze
from calmline.formats import read_conversation
from calmline.notes import Commitment, Owner
from calmline.outcome import Resolution

CALLS = Path(__file__).resolve().parents[2] / "examples" / "calls"
# Calls whose transcript gives no start time are taken to start on Monday 2 March 2026, 09:00 UTC.
NO_START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

EXPECTED_TASKS: dict[str, list[tuple[str, str, int | None, str]]] = {
    "abusive_caller_boundary.json": [
        ("follow_up_call", "agent", 12, "2026-03-05 17:00"),
        ("callback", "agent", 12, "2026-03-04 16:00"),
        ("follow_up_call", "agent", 14, "2026-03-05 17:00"),
    ],
    "billing_double_charge.json": [
        ("refund_check", "agent", 8, "2026-03-02 10:15"),
        ("follow_up_call", "agent", 8, "2026-03-09 17:00"),
        ("refund_check", "agent", 10, "2026-03-03 17:00"),
        ("follow_up_call", "agent", 10, "2026-03-02 21:00"),
        ("written_response", "agent", 10, "2026-03-02 09:18"),
        ("callback", "agent", 14, "2026-03-05 17:00"),
        ("follow_up_call", "agent", 14, "2026-03-03 17:00"),
    ],
    "defective_mixer_refund_or_replace.json": [
        ("follow_up_call", "agent", 16, "2026-03-03 17:00"),
        ("written_response", "agent", 16, "2026-03-03 15:02"),
    ],
    "dismissive_agent.txt": [
        ("follow_up_call", "agent", None, "2026-03-03 17:00"),
    ],
    "jargon_fibre_outage.txt": [
        ("follow_up_call", "team", 4, "2026-03-03 17:00"),
        ("follow_up_call", "team", 10, "2026-03-03 17:00"),
    ],
    "manager_demand.txt": [
        ("supervisor_escalation", "agent", 6, "2026-03-03 17:00"),
    ],
    "non_apology_blame_cancel.csv": [
        ("follow_up_call", "agent", None, "2026-03-03 17:00"),
    ],
    "repeat_account_number.csv": [
        ("follow_up_call", "agent", 14, "2026-03-03 17:00"),
        ("written_response", "agent", 16, "2026-03-04 09:00"),
    ],
    "repeat_caller_first_contact.json": [
        ("follow_up_call", "agent", 8, "2026-03-16 17:00"),
        ("follow_up_call", "agent", 10, "2026-02-13 17:00"),
    ],
    "repeat_caller_third_time.json": [
        ("refund_check", "agent", 8, "2026-03-03 17:00"),
        ("refund_check", "team", 10, "2026-04-01 17:00"),
        ("written_response", "agent", 10, "2026-03-02 16:05"),
    ],
    "routine_address_change.json": [
        ("written_response", "agent", 12, "2026-03-13 17:00"),
    ],
    "routine_balance_chat.json": [
        ("follow_up_call", "team", 8, "2026-03-06 21:00"),
    ],
    "routine_delivery_date_chat.json": [
        ("written_response", "agent", 10, "2026-03-03 17:00"),
    ],
    "routine_password_reset.json": [
        ("written_response", "agent", 6, "2026-03-05 17:00"),
    ],
    "talk_over_venting.json": [
        ("refund_check", "agent", 16, "2026-03-06 17:00"),
        ("follow_up_call", "agent", 16, "2026-03-12 17:00"),
        ("written_response", "agent", 18, "2026-03-11 17:00"),
    ],
    "unresolved_wire_followup.srt": [
        ("follow_up_call", "agent", 10, "2026-03-02 10:00"),
        ("follow_up_call", "agent", 14, "2026-03-03 17:00"),
        ("callback", "agent", 14, "2026-03-06 17:00"),
        ("follow_up_call", "agent", 16, "2026-03-02 10:00"),
    ],
    "warranty_exception.vtt": [
        ("follow_up_call", "team", 10, "2026-03-03 17:00"),
        ("written_response", "agent", 16, "2026-03-03 10:00"),
    ],
}
# Promises kept before the call ended, so they leave no task (with the task that covers them).
KEPT_ON_CALL = {("manager_demand.txt", 12)}  # the team lead joins the call; turn 6's escalation task


@cache
def _planned(name: str) -> tuple[PlannedTask, ...]:
    conversation = read_conversation(CALLS / name)
    report = analyze(conversation)
    facts = CallFacts(conversation.started_at or NO_START, report.notes,
                      {t.index: t.text for t in conversation.turns})
    return plan_tasks(facts, Schedule())


@pytest.mark.parametrize("name", sorted(EXPECTED_TASKS))
def test_sample_call_gives_the_expected_tasks(name: str) -> None:
    found = [(p.type.value, p.owner.value, p.turn_index, p.due.at.strftime("%Y-%m-%d %H:%M"))
             for p in _planned(name)]
    assert found == EXPECTED_TASKS[name]


def test_every_sample_call_is_listed() -> None:
    samples = {p.name for p in CALLS.iterdir() if p.suffix in (".json", ".txt", ".csv", ".srt", ".vtt")}
    assert samples == set(EXPECTED_TASKS)


def _golden() -> list[tuple[str, dict[str, object]]]:
    expected = yaml.safe_load((CALLS / "EXPECTED.yaml").read_text(encoding="utf-8"))
    return [(name, c) for name, call in expected.items() for c in call.get("commitments") or []]


@pytest.mark.parametrize(("name", "commitment"), _golden(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_golden_promise_becomes_a_task(name: str, commitment: dict[str, object]) -> None:
    if (name, commitment["turn"]) in KEPT_ON_CALL:
        return
    tasks = [p for p in _planned(name) if p.turn_index == commitment["turn"]]
    assert tasks, f"no task for the promise {commitment['what']!r} at turn {commitment['turn']}"
    assert {p.owner.value for p in tasks} & {commitment["owner"], "team"}
    if commitment["due_phrase"]:
        said = {(p.due_phrase or "").lower() for p in tasks}
        assert any(str(commitment["due_phrase"]).lower().startswith(s) for s in said if s)


@pytest.mark.parametrize(
    ("what", "task_type"),
    [
        ("I'm going to escalate this to my team lead", TaskType.SUPERVISOR_ESCALATION),
        ("I'll ask my supervisor to email you", TaskType.SUPERVISOR_ESCALATION),
        ("I'm refunding the duplicate charge", TaskType.REFUND_CHECK),
        ("The credit will be on your next bill", TaskType.REFUND_CHECK),
        ("I'll call you back by Friday", TaskType.CALLBACK),
        ("I'll give you a ring on Thursday to check the refund", TaskType.CALLBACK),
        ("I'll email you a confirmation with the refund reference", TaskType.WRITTEN_RESPONSE),
        ("I'll send a fresh reset link", TaskType.WRITTEN_RESPONSE),
        ("The engineer will visit on Tuesday", TaskType.FOLLOW_UP_CALL),
    ],
)
def test_promise_words_give_the_task_type(what: str, task_type: TaskType) -> None:
    assert task_type_of(what) is task_type


def _facts(outcome: Resolution, *commitments: Commitment) -> CallFacts:
    from calmline.notes import CallNotes

    return CallFacts(NO_START, CallNotes(None, (), (), outcome, commitments))


@pytest.mark.parametrize(
    ("outcome", "commitments", "types"),
    [
        (Resolution.UNRESOLVED, (), ["follow_up_call"]),
        (Resolution.ESCALATED, (), ["supervisor_escalation"]),
        (Resolution.CALLBACK, (), ["callback"]),
        (Resolution.RESOLVED, (), []),
        (Resolution.UNRESOLVED, (Commitment(Owner.AGENT, "I'll call you back by Friday", "by Friday", 3),),
         ["callback"]),
        (Resolution.ESCALATED, (Commitment(Owner.AGENT, "I'll email you the form today", "today", 3),),
         ["written_response", "supervisor_escalation"]),
        (Resolution.RESOLVED, (Commitment(Owner.AGENT, "I'll stay on the line with you", None, 2),
                               Commitment(Owner.AGENT, "I'll do:", None, 2)), []),
        (Resolution.UNRESOLVED,
         (Commitment(Owner.CUSTOMER, "please send the photos by Friday", "by Friday", 5),),
         ["written_response", "follow_up_call"]),
    ],
)
def test_outcome_tasks_fill_what_no_promise_covers(outcome: Resolution, commitments: tuple[Commitment, ...],
                                                    types: list[str]) -> None:
    assert [p.type.value for p in plan_tasks(_facts(outcome, *commitments))] == types
