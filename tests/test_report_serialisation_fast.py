"""Report.to_dict and Report.to_json give exactly what the generic conversion gives.

The reference below is the plain way to turn a report into JSON: ``dataclasses.asdict`` and
then enums as their values, tuples as lists, datetimes in ISO form, written by ``json.dumps``.
The report's own field-by-field conversion must match it value for value,
type for type and byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calmline.conversation import Channel, Conversation, Role, Turn
from calmline.engine import analyze
from calmline.formats import read_conversations
from calmline.report import Report

from .conftest import SAMPLE_CALLS

INDENTS = [None, 0, 2, 4]


def json_ready(value: Any) -> Any:
    """What ``asdict`` leaves, as JSON-ready Python values."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [json_ready(item) for item in value]
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    return value


def reference_dict(report: Report) -> dict[str, Any]:
    plain = json_ready(asdict(report))
    assert isinstance(plain, dict)
    return plain


def assert_same_as_reference(report: Report) -> None:
    expected = reference_dict(report)
    # repr tells True from 1, 1 from 1.0 and an enum from its value, where == would not.
    assert repr(report.to_dict()) == repr(expected)
    for indent in INDENTS:
        assert report.to_json(indent=indent) == json.dumps(expected, indent=indent, ensure_ascii=False)


def sample_reports() -> list[Report]:
    return [analyze(call) for path in SAMPLE_CALLS for call in read_conversations(path)]


@pytest.mark.parametrize("report", sample_reports(), ids=lambda report: report.conversation_id)
def test_sample_report_serialises_as_the_reference(report: Report) -> None:
    assert_same_as_reference(report)


def test_sample_reports_fill_every_part_of_the_report() -> None:
    """The sample calls leave no nested part empty, so the test above checks every conversion."""
    reports = sample_reports()
    parts = {
        "signals": [s for r in reports for t in r.turns for s in t.signals],
        "phases": [p for r in reports for p in r.phases],
        "risks": [k for r in reports for k in r.risks],
        "nudges": [n for r in reports for n in r.nudges],
        "evidence": [e for r in reports for c in r.scorecard.criteria for e in c.evidence],
        "strengths": [s for r in reports for s in r.scorecard.strengths],
        "coaching_tips": [s for r in reports for s in r.scorecard.coaching_tips],
        "issue": [r.notes.issue for r in reports if r.notes.issue is not None],
        "complaints": [q for r in reports for q in r.notes.complaints],
        "steps_taken": [q for r in reports for q in r.notes.steps_taken],
        "commitments": [c for r in reports for c in r.notes.commitments],
        "started_at": [r.started_at for r in reports if r.started_at is not None],
    }
    assert [name for name, found in parts.items() if not found] == []


TEXT = st.text(max_size=120) | st.sampled_from([
    "", "calm down you idiot", "I'm sorry you feel that way", "I'll call you back tomorrow.",
    "To confirm, you're saying you were charged twice?", "\x00\x01 \u2028 \"quoted\" \\ </b>", "🙂🙂",
])
NAMES = st.none() | st.text(min_size=1, max_size=12)
OFFSETS = st.none() | st.integers(min_value=0, max_value=10_000_000)
TURNS = st.lists(st.tuples(st.sampled_from(list(Role)), TEXT, NAMES, OFFSETS, OFFSETS), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    turns=TURNS,
    channel=st.sampled_from(list(Channel)),
    ids=st.tuples(st.text(max_size=12), NAMES, NAMES, NAMES),
    started=st.none() | st.datetimes(timezones=st.none() | st.just(UTC)),
)
def test_any_report_serialises_as_the_reference(
    turns: list[tuple[Role, str, str | None, int | None, int | None]],
    channel: Channel,
    ids: tuple[str, str | None, str | None, str | None],
    started: datetime | None,
) -> None:
    conversation = Conversation(
        id=ids[0],
        turns=tuple(Turn(i, role, text, speaker, begin, end)
                    for i, (role, text, speaker, begin, end) in enumerate(turns)),
        channel=channel,
        agent_id=ids[1],
        customer_id=ids[2],
        customer_name=ids[3],
        started_at=started,
    )
    assert_same_as_reference(analyze(conversation))


def test_report_without_turns_serialises_as_the_reference() -> None:
    report = analyze(Conversation("empty", ()))
    assert report.notes.issue is None
    assert_same_as_reference(report)
