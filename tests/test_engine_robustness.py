"""analyze never crashes, whatever the text and the order of turns; its invariants hold."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calmline.conversation import Conversation, Role, Turn
from calmline.engine import analyze
from calmline.session import Session

TEXT = st.text(max_size=300) | st.sampled_from([
    "", " ", "!!!", "?", "calm down you idiot", "I'm sorry you feel that way",
    "To confirm, you're saying you were charged twice?", "\x00\x01", "🙂🙂🙂", "a" * 2000,
])
TURNS = st.lists(st.tuples(st.sampled_from(list(Role)), TEXT), max_size=25)
OFFSETS = st.one_of(st.none(), st.integers(min_value=-10_000, max_value=10_000_000))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TURNS)
def test_analyze_never_crashes(items: list[tuple[Role, str]]) -> None:
    turns = tuple(Turn(i, role, text) for i, (role, text) in enumerate(items))
    report = analyze(Conversation("fuzz", turns))
    assert len(report.turns) == len(turns)
    assert all(0.0 <= t.temperature <= 100.0 for t in report.turns)
    assert 0 <= report.scorecard.overall <= 100
    json.loads(report.to_json())
    for turn in report.turns:
        for signal in turn.signals:
            assert turn.text[signal.start:signal.end] == signal.evidence
            assert 0.0 <= signal.score <= 1.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([Role.AGENT, Role.CUSTOMER]), TEXT, OFFSETS, OFFSETS),
                max_size=15))
def test_arbitrary_offsets_never_crash(items: list[tuple[Role, str, int | None, int | None]]) -> None:
    turns = tuple(Turn(i, role, text, begin_ms=b, end_ms=e)
                  for i, (role, text, b, e) in enumerate(items))
    report = analyze(Conversation("fuzz", turns))
    assert len(report.turns) == len(turns)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TURNS)
def test_session_equals_analyze_on_arbitrary_calls(items: list[tuple[Role, str]]) -> None:
    conversation = Conversation("fuzz", tuple(Turn(i, r, t) for i, (r, t) in enumerate(items)))
    session = Session.for_conversation(conversation)
    for turn in conversation.turns:
        session.feed(turn)
    assert session.close().to_dict() == analyze(conversation).to_dict()
